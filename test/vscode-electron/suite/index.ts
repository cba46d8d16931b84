/** Mocha inside VS Code's extension host: test-electron calls run(). */
import * as path from 'node:path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 300_000, color: false });
  mocha.addFile(path.join(__dirname, 'extension.suite.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
  });
}
