import { describe, expect, it } from 'vitest';
import { redactUrl } from './url.js';

describe('redactUrl', () => {
  it('masks the password of a URL and leaves other store specs alone', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/events?schema=pc')).toBe('postgres://app:***@db.internal:5432/events?schema=pc');
    expect(redactUrl('postgres://app@db/events')).toBe('postgres://app@db/events');
    expect(redactUrl('sqlite:.portcullis/portcullis.db')).toBe('sqlite:.portcullis/portcullis.db');
    expect(redactUrl('memory')).toBe('memory');
    expect(redactUrl('postgres://a:b@[bad')).toBe('(unparseable URL)');
  });
});
