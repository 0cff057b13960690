// tsserver answers prepareCallHierarchy with TypeScript's own resolveCallHierarchyDeclaration. At
// the name of a declaration nobody can call (a local `const x = 5`, a property, a parameter) that
// function answers "nothing", and it decides so from the syntax alone, before it asks the type
// checker anything. A hunk of a large test file covers thousands of such names, each a round trip
// to the server: apollo-client's last 150 commits asked 6,772 prepares, 2.7 s of a 15 s walk.
//
// So the same function, of the same TypeScript the server runs (the extension ships one), is asked
// first, given a type checker that refuses every question. "Nothing", reached without the checker,
// is what the server would answer; anything else (an item, or a question to the checker, or a
// TypeScript without these internals) goes to the server as before.

import type * as TS from 'typescript';
import { LspPosition } from './lspClient';

interface Internals {
  CallHierarchy?: { resolveCallHierarchyDeclaration?: (program: { getTypeChecker(): unknown }, location: TS.Node) => unknown };
  getTouchingPropertyName?: (sf: TS.SourceFile, position: number) => TS.Node;
}

class AskedTheChecker extends Error {}

const refusingChecker = new Proxy(
  {},
  {
    get() {
      throw new AskedTheChecker();
    },
  },
);
const syntaxOnlyProgram = { getTypeChecker: () => refusingChecker };

/** Whether tsserver's prepareCallHierarchy at `at` in `sf` certainly answers nothing (see above). */
export function neverPrepared(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): boolean {
  const { CallHierarchy, getTouchingPropertyName } = ts as unknown as Internals;
  const resolve = CallHierarchy?.resolveCallHierarchyDeclaration;
  if (!resolve || !getTouchingPropertyName) return false;
  try {
    const position = sf.getPositionOfLineAndCharacter(at.line, at.character);
    return resolve(syntaxOnlyProgram, getTouchingPropertyName(sf, position)) === undefined;
  } catch {
    // The checker was asked (the answer depends on types), or the position is not in the file.
    return false;
  }
}
