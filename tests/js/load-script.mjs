// Loads one of kbgen's browser scripts (templates/static/*.js, classic scripts that
// export through `module.exports` when there is a `module`) into Node.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

export function loadScript(path) {
  const module = { exports: {} };
  vm.runInThisContext(`(function (module) {${readFileSync(path, 'utf8')}\n})`, { filename: path })(module);
  return module.exports;
}
