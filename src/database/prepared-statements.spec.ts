import { bindable, toPreparedText } from './prepared-statements';

describe('toPreparedText', () => {
  it('numbers the placeholders and names the text by its content', () => {
    const a = toPreparedText('select * from t where a = ? and b = ?');
    expect(a?.text).toBe('select * from t where a = $1 and b = $2');
    expect(a?.name).toMatch(/^mf_[0-9a-f]{20}$/);
    expect(toPreparedText('select * from t where a = ? and b = ?')).toEqual(a);
    expect(toPreparedText('select * from t where a = ? or b = ?')?.name).not.toBe(a?.name);
  });

  it("leaves a '?' inside quotes alone", () => {
    expect(toPreparedText(`select '?' as q, "a?b" from t where x = ?`)?.text).toBe(
      `select '?' as q, "a?b" from t where x = $1`,
    );
  });

  it('does not name what it cannot convert safely', () => {
    expect(toPreparedText('select ?? from t')).toBeNull();
    expect(toPreparedText(`select doc ?| array['a'] from t where id = ?`)).toBeNull();
    expect(toPreparedText(`select 'unterminated from t where id = ?`)).toBeNull();
  });
});

describe('bindable', () => {
  it('refuses arrays, which MikroORM expands into a list and pg would send as one array', () => {
    expect(bindable(['a', 1, null, new Date(0), true])).toBe(true);
    expect(bindable(['a', ['b', 'c']])).toBe(false);
  });
});
