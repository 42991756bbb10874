//! Sentence templates for the body sections, written the way support engineers
//! write: bold UI paths, `code` for values, a few long explanatory paragraphs.

use crate::article::Head;
use crate::pools::*;
use crate::rng::Rng;

pub fn symptoms(
    r: &mut Rng,
    h: &Head,
    p: &str,
    p2: &str,
    users: &str,
    setting: &str,
) -> Vec<String> {
    let v = VERBS[h.verb];
    let o = OBJECTS[h.object];
    let f = FAILS[h.fail];
    let c = COMPONENTS[h.component];
    let e = EVENTS[h.event];
    let all = [
        format!("After {e}, {p} {} to {} {} for {users}.", f[1], v[0], o[1]),
        format!("The {c} shows the task as pending for hours and then marks it as failed."),
        format!(
            "Admins see a red banner in **{}** saying that {} could not be {}.",
            c, o[1], v[2]
        ),
        format!(
            "Only {users} are affected; other accounts keep {} {} as before.",
            v[3], o[1]
        ),
        format!(
            "The **{setting}** option was enabled when the problem started, and turning it off and on again does not help."
        ),
        format!("Retrying the task from the {c} gives the same result within a few seconds."),
        format!(
            "The System Log shows the event `{}.{}` with outcome `FAILURE` for every affected user.",
            v[0].replace(' ', "_"),
            o[0].replace(' ', "_").to_lowercase()
        ),
        format!(
            "In {p2}, the {} still shows the old value, so users report that their changes do not appear.",
            o[0]
        ),
        format!(
            "The problem appears about {} minutes after the scheduled run starts and affects roughly {} percent of the {}.",
            r.range(2, 55),
            r.range(3, 90),
            o[1]
        ),
        format!("Users get signed out of {p} and land on an error page instead of the dashboard."),
        format!(
            "Support tickets mention that {} {} slowly and sometimes not at all.",
            o[1], f[1]
        ),
    ];
    let k = r.range(3, 8);
    r.sample(&all, k).into_iter().cloned().collect()
}

pub fn environment(r: &mut Rng, p: &str, p2: &str, c: &str) -> Vec<String> {
    let mut env = vec![p.to_string()];
    if p2 != p {
        env.push(format!("{p2} (integrated with {p})"));
    }
    let extra = [
        c.to_string(),
        "Provisioning".to_string(),
        "Single sign-on (SAML 2.0)".to_string(),
        "OpenID Connect applications".to_string(),
        format!(
            "{} agent version {}.{}.{}",
            p,
            r.range(1, 9),
            r.below(20),
            r.below(10)
        ),
        "Licenses and roles".to_string(),
        "Windows Server 2022 host for the agent".to_string(),
        "Active Directory configured to sync with Azure AD via AADConnect".to_string(),
        "Corporate HTTP proxy with TLS inspection".to_string(),
    ];
    let k = r.range(1, 4);
    env.extend(r.sample(&extra, k).into_iter().cloned());
    env
}

pub fn conditions(
    r: &mut Rng,
    p: &str,
    v: [&str; 4],
    o: [&str; 2],
    setting: &str,
    users: &str,
) -> Vec<String> {
    let all = [
        format!("The **{setting}** setting is enabled for {p}."),
        format!(
            "{} are mastered by another directory.",
            crate::article::cap(o[1])
        ),
        format!(
            "The integration {} {} on a schedule rather than on demand.",
            v[1], o[1]
        ),
        format!("The affected accounts are {users}."),
        "More than one application writes to the same attribute.".to_string(),
        format!("A policy in {p} was changed in the last few days."),
    ];
    let k = r.range(0, 3);
    r.sample(&all, k).into_iter().cloned().collect()
}

#[allow(clippy::too_many_arguments)]
pub fn cause(
    r: &mut Rng,
    p: &str,
    p2: &str,
    v: [&str; 4],
    o: [&str; 2],
    c: &str,
    reason: &str,
    setting: &str,
) -> Vec<String> {
    let mut paras = vec![format!(
        "The error is thrown by {p2}, not by {p}: it refuses to {} the {} because {reason}. \
         {p} sends the change as soon as it is detected by the {c}, receives the rejection and \
         marks the task as failed, and the next scheduled run repeats the same request, which \
         is why the failures keep coming back until the configuration is changed.",
        v[0], o[0]
    )];
    paras.push(format!(
        "The **{setting}** option makes {p} treat itself as the source of truth for {}, so every \
         change on the {p2} side is overwritten or rejected. When both systems try to write \
         the same value, the one that wins depends on timing, and the audit trail shows \
         alternating updates from both sides with no clear owner.",
        o[1]
    ));
    if r.chance(50) {
        paras.push(format!(
            "To confirm the cause, open the failed task in the {c} and compare the request id with \
             the entry in the {p2} audit log. The entry names the {} that was rejected and the \
             account that sent it; when that account is the {p} integration and the time matches \
             the scheduled run, the explanation above applies.",
            o[0]
        ));
    }
    if r.chance(70) {
        paras.push(format!(
            "This is expected behaviour of {p2} and is documented as a limitation of \
             {} {} through an external identity provider. It is not caused by a defect in \
             the agent, the network or the {c}, although slow networks make it easier to see.",
            v[3], o[1]
        ));
    }
    paras
}

pub fn steps(
    r: &mut Rng,
    p: &str,
    v: [&str; 4],
    o: [&str; 2],
    setting: &str,
    mut menu: impl FnMut(&mut Rng) -> String,
) -> Vec<String> {
    let n = r.range(3, 10);
    let mut steps = Vec::with_capacity(n);
    for k in 0..n {
        let s = match (k, r.below(8)) {
            (0, _) => format!("Navigate to **{}**.", menu(r)),
            (_, 0) => format!("Clear **{setting}** and click **Save**."),
            (_, 1) => format!(
                "Change the provisioning type to `{}` and confirm the warning dialog.",
                SETTINGS[r.below(SETTINGS.len())]
            ),
            (_, 2) => format!(
                "Open **{}** and check that the {} shows the expected value.",
                menu(r),
                o[0]
            ),
            (_, 3) => format!(
                "Run a full import so {p} reads the current state of the {} again.",
                o[1]
            ),
            (_, 4) => format!(
                "Select the affected users and choose **Retry** to {} the {} once more.",
                v[0], o[1]
            ),
            (_, 5) => "Wait for the next sync cycle, usually 30 minutes, before checking again."
                .to_string(),
            (_, 6) => format!(
                "In the System Log, filter on the event `{}` and confirm that no new failures appear.",
                v[0].replace(' ', "_")
            ),
            _ => format!(
                "Save the changes and ask one affected user to sign out of {p} and sign in again."
            ),
        };
        steps.push(s);
    }
    steps
}

pub fn outro(r: &mut Rng, p: &str, v: [&str; 4], o: [&str; 2], f: [&str; 4]) -> String {
    let tail = if r.chance(50) {
        "If the problem persists, collect the request id and the timestamp from the error and open a support case."
    } else {
        "Keep the change documented so the next administrator does not turn the option back on."
    };
    format!(
        "After these steps {p} stops trying to {} {} that it does not own, and the task no longer {}. {tail}",
        v[0], o[1], f[1]
    )
}
