// Who is one person: git identities ("Name <email>", already through the base's .mailmap) grouped
// conservatively, so one maintainer's two email addresses are not two authors, one of them inactive.
//
// The rule (docs/risk-model.md, "Who is one author"): identities with the same email are one author
// (as git attributes commits); beyond that, and only for identities the repository's .mailmap does
// not mention (the maintainers curated those), two identities are one person when their names are
// the same after normalising (Unicode NFKC, case, spacing) AND either the name has at least two
// words ("Mark Maintainer") or, for a one-word name, the emails have the same local part and one of
// them is a no-reply address of a hosting service (`123+mark@users.noreply.github.com`). Different
// names are never merged by name.

const NOREPLY = /^(?:\d+[+-])?([^@]+)@(?:users\.)?noreply\.(?:github|gitlab)\.com$/i;

export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** Every email a .mailmap mentions (proper or commit address), lower-cased. */
export function mailmapEmails(text: string | null): Set<string> {
  const out = new Set<string>();
  if (!text) return out;
  for (const line of text.split('\n')) {
    const body = line.replace(/#.*$/, '');
    for (const m of body.matchAll(/<([^>]*)>/g)) if (m[1].trim()) out.add(m[1].trim().toLowerCase());
  }
  return out;
}

export function splitIdentity(who: string): { name: string; email: string } {
  const m = /^(.*) <(.*)>$/.exec(who);
  return m ? { name: m[1], email: m[2] } : { name: who, email: '' };
}

/** The keys under which an identity meets others: email always; name only when the mailmap is silent about it. */
function keysOf(name: string, email: string, mailmapped: ReadonlySet<string>): { keys: string[]; noreplyKey: string | null; loginKey: string | null } {
  const mail = email.toLowerCase();
  const keys = mail ? [`e:${mail}`] : [];
  if (mailmapped.has(mail)) return { keys, noreplyKey: null, loginKey: null };
  const n = normaliseName(name);
  if (!n) return { keys, noreplyKey: null, loginKey: null };
  if (n.includes(' ')) return { keys: [...keys, `n:${n}`], noreplyKey: null, loginKey: null };
  const noreply = NOREPLY.exec(mail);
  const local = (noreply ? noreply[1] : mail.split('@')[0]).toLowerCase();
  const key = `l:${n}\0${local}`;
  // A one-word name meets another only through a no-reply address: `jdoe@a.com` and `jdoe@b.com`
  // alone may well be two people called jdoe.
  return noreply ? { keys: [...keys, key], noreplyKey: key, loginKey: key } : { keys, noreplyKey: null, loginKey: key };
}

/**
 * Identities grouped into people. A person's number is the place of its first identity in the
 * sorted list of all identities: the same set in another order (an index extended by newer
 * commits lists its new authors last, a cold build lists the newest first) numbers people the
 * same, so the figures that show them do not differ between a warm and a cold run.
 */
export class People {
  /** Per identity (index into the list given): its person. */
  readonly of: number[];
  private readonly owners = new Map<string, number>();
  private readonly exact = new Map<string, number>();

  constructor(identities: readonly string[], private readonly mailmapped: ReadonlySet<string> = new Set()) {
    const parent = identities.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    const union = (a: number, b: number) => {
      const [x, y] = [find(a), find(b)];
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    };
    const parsed = identities.map((who) => {
      const { name, email } = splitIdentity(who);
      return keysOf(name, email, mailmapped);
    });
    // No-reply keys first, so a one-word identity with a plain address finds its no-reply twin whatever the order.
    parsed.forEach((p, i) => {
      for (const k of p.keys) {
        const o = this.owners.get(k);
        if (o === undefined) this.owners.set(k, i);
        else union(i, o);
      }
    });
    parsed.forEach((p, i) => {
      if (p.loginKey && !p.noreplyKey) {
        const o = this.owners.get(p.loginKey);
        if (o !== undefined) union(i, o);
      }
    });
    const byName = identities.map((_, i) => i).sort((a, b) => (identities[a] < identities[b] ? -1 : identities[a] > identities[b] ? 1 : a - b));
    const number = new Map<number, number>();
    byName.forEach((i, place) => {
      const root = find(i);
      if (!number.has(root)) number.set(root, place);
    });
    this.of = identities.map((_, i) => number.get(find(i))!);
    identities.forEach((who, i) => this.exact.set(who, this.of[i]));
  }

  /** The person of an identity seen elsewhere (blame, the range under review), or null when unknown at the base. */
  personOf(name: string, email: string): number | null {
    const hit = this.exact.get(`${name} <${email}>`);
    if (hit !== undefined) return hit;
    const { keys, loginKey } = keysOf(name, email, this.mailmapped);
    for (const k of loginKey ? [...keys, loginKey] : keys) {
      const o = this.owners.get(k);
      if (o !== undefined) return this.of[o];
    }
    return null;
  }
}

export interface IndexPeople {
  people: People;
  /** Per person: the time of their newest commit (any identity). */
  last: Map<number, number>;
  /** Per person: their commits reachable from the base. */
  commits: Map<number, number>;
}

/** People of a history index's authors, with each person's newest commit and commit count. */
export function peopleOfIndex(index: { authors: string[]; authorLast: number[]; commits: ArrayLike<number> }, mailmap: string | null): IndexPeople {
  const people = new People(index.authors, mailmapEmails(mailmap));
  const last = new Map<number, number>();
  index.authorLast.forEach((t, a) => {
    const p = people.of[a];
    last.set(p, Math.max(last.get(p) ?? 0, t));
  });
  const commits = new Map<number, number>();
  for (let i = 1; i < index.commits.length; i += 3) {
    const p = people.of[index.commits[i]];
    commits.set(p, (commits.get(p) ?? 0) + 1);
  }
  return { people, last, commits };
}
