import { describe, expect, it } from 'vitest';
import { classifySegment, isValueKind, MAX_CLASSIFIED_LENGTH, type SegmentKind } from './classify.js';

const TABLE: Array<[string, SegmentKind]> = [
  ['', 'empty'],
  ['0', 'integer'], ['8812', 'integer'], ['000123', 'integer'], ['12345678901234567890', 'integer'],
  ['2024', 'integer'], ['20241399', 'integer'], // not a valid compact date
  ['550e8400-e29b-41d4-a716-446655440000', 'uuid'], // v4
  ['6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'uuid'], // v1
  ['018f3e1c-7b2a-7c3d-9e4f-0a1b2c3d4e5f', 'uuid'], // v7
  ['00000000-0000-0000-0000-000000000000', 'uuid'],
  ['550E8400-E29B-41D4-A716-446655440000', 'uuid'],
  ['507f1f77bcf86cd799439011', 'objectid'], ['507F1F77BCF86CD799439011', 'objectid'],
  ['123456789012345678901234', 'integer'], // 24 digits: a number first
  ['5f4dcc3b5aa765d61d8327deb882cf99', 'hex'], // md5
  ['a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'hex'], // sha1
  ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'hex'], // sha256
  ['beef1234', 'hex'], ['A1B2C3D4E5F6A7B8', 'hex'],
  ['deadbeef', 'word'], ['facade', 'word'], ['cafe', 'word'],
  ['2024-05-01', 'date'], ['20240501', 'date'], ['2024-05', 'date'], ['2024-02-29', 'date'],
  ['2024-05-01T10:00:00Z', 'date'], ['2024-05-01T10:00:00.123+02:00', 'date'],
  ['2023-02-29', 'other'], ['2024-13-01', 'other'], ['1800-01-01', 'other'],
  ['jane.doe@example.com', 'email'], ['a+tag@sub.example.co.uk', 'email'], ['logo@2x', 'other'],
  ['v1', 'version'], ['V2', 'version'], ['v10', 'version'], ['v1.2', 'version'], ['v2.1.3', 'version'],
  ['v1beta1', 'version'], ['v2-alpha', 'version'], ['2.0', 'version'], ['1.0.0', 'version'],
  ['en', 'locale'], ['en-us', 'locale'], ['en-US', 'locale'], ['pt_BR', 'locale'], ['zh-Hant', 'locale'], ['es-419', 'locale'],
  ['id-ID', 'locale'], ['it', 'word'], ['me', 'word'], ['no', 'word'], ['EN-us', 'other'],
  ['INV-00042', 'code'], ['SKU1234', 'code'], ['AB12CD34X', 'code'], ['HTTP2', 'word'],
  ['report-2024.pdf', 'file'], ['openapi.json', 'file'], ['app.min.js', 'file'], ['README.md', 'file'],
  ['my-first-post', 'slug'], ['iphone-15-pro-max', 'slug'], ['3d-models', 'slug'], ['order_items', 'slug'], ['a8f3-k29d', 'other'],
  ['dQw4w9WgXcQ', 'token'], ['V1StGXR8_Z5jdHi6B-myT', 'token'], ['x7k2m9p4q1', 'token'],
  ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc-123', 'token'],
  ['dGhpcyBpcyBhIHRlc3Q=', 'token'],
  ['settings', 'word'], ['profile', 'word'], ['search', 'word'], ['oauth2', 'word'], ['html5', 'word'],
  ['2fa', 'word'], ['sha256', 'word'], ['windows10', 'word'], ['userProfile', 'word'], ['getUserProfileByEmail', 'word'],
  ['café', 'word'], ['日本', 'word'],
  ['hello world', 'other'], ['.well-known', 'other'], ['a:b', 'other'],
];

describe('classifySegment', () => {
  it.each(TABLE)('%s → %s', (value, kind) => {
    expect(classifySegment(value)).toBe(kind);
  });

  it('classifies an over-long segment by alphabet only', () => {
    expect(classifySegment('a1'.repeat(MAX_CLASSIFIED_LENGTH))).toBe('token');
    expect(classifySegment('a b'.repeat(MAX_CLASSIFIED_LENGTH))).toBe('other');
  });

  it('stays fast on 100 000-character adversarial segments', () => {
    for (const s of ['a-'.repeat(50_000), '1.'.repeat(50_000), 'a.'.repeat(50_000), '@'.repeat(100_000)]) {
      expect(typeof classifySegment(s)).toBe('string');
      expect(typeof classifySegment(s.slice(0, MAX_CLASSIFIED_LENGTH))).toBe('string');
    }
  });

  it('marks value kinds, not words', () => {
    expect(['integer', 'uuid', 'objectid', 'hex', 'date', 'email', 'token', 'code'].every((k) => isValueKind(k as SegmentKind))).toBe(true);
    expect(['word', 'slug', 'file', 'locale', 'version', 'other', 'empty'].some((k) => isValueKind(k as SegmentKind))).toBe(false);
  });
});
