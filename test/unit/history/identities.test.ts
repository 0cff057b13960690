// Who is one person: the conservative rule, each case that must merge and each that must not.
import assert from 'node:assert/strict';
import { People, mailmapEmails } from '../../../src/core/history/identities';

describe('identities', () => {
  it('merges by email, by a full name of two words or more, or by a one-word name with the same no-reply login; nothing else', () => {
    const ids = [
      'Mark Maintainer <mark@old.example>', // 0
      'mark  maintainer <mark@new.example>', // 1: same full name, typed differently
      'Sam <sam@a.example>', // 2
      'Sam <sam@b.example>', // 3: one-word name, plain addresses: may be two people
      'Mark Maintainers <mm@x.example>', // 4: a different name
      'sapphi <49056869+sapphi@users.noreply.github.com>', // 5
      'sapphi <sapphi@users.noreply.github.com>', // 6: the same GitHub login
      'jdoe <jdoe@a.example>', // 7
      'jdoe <jdoe@users.noreply.github.com>', // 8: one-word name, same local part, one no-reply address
      'Ann Smith <ann@a.example>', // 9: the mailmap mentions this address
      'Ann Smith <ann@b.example>', // 10
      'Bob <shared@x.example>', // 11
      'Robert Roe <shared@x.example>', // 12: same email, one author as git attributes it
      'Pat <pat@a.example>', // 13
      'Patricia <pat@users.noreply.github.com>', // 14: same login, different names: never merged by name
    ];
    const p = new People(ids, mailmapEmails('Ann Smith <ann@a.example> <ann@old.example> # curated\n'));
    const same = (a: number, b: number) => p.of[a] === p.of[b];
    assert.ok(same(0, 1));
    assert.ok(!same(0, 4));
    assert.ok(!same(2, 3));
    assert.ok(same(5, 6));
    assert.ok(same(7, 8));
    assert.ok(!same(9, 10), 'the mailmap governs identities it mentions');
    assert.ok(same(11, 12));
    assert.ok(!same(13, 14));
    assert.equal(new Set(p.of).size, 11);
    // People seen elsewhere (blame, the range under review) are found by the same rule.
    assert.equal(p.personOf('Mark Maintainer', 'mark@laptop.example'), p.of[0]);
    assert.equal(p.personOf('Sam', 'sam@c.example'), null);
    assert.equal(p.personOf('jdoe', 'jdoe@a.example'), p.of[7]);
    assert.equal(p.personOf('Ann Smith', 'ann@c.example'), p.of[10]);
    // The same identities in another order number each person the same.
    const reversed = new People([...ids].reverse(), mailmapEmails('Ann Smith <ann@a.example> <ann@old.example> # curated\n'));
    assert.deepEqual([...reversed.of].reverse(), p.of);
    assert.deepEqual([...mailmapEmails('# a comment <not@this>\nA <a@x> B <b@x>\n<c@x> <d@x>\n')].sort(), ['a@x', 'b@x', 'c@x', 'd@x']);
  });
});
