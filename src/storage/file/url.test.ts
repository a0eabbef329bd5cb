import { describe, expect, it } from 'vitest';
import { objectStoreUrl } from '../object-stores.ts';
import { fileObjectStoreFolder } from './url.ts';

describe('file:// object store URLs', () => {
  it('reads relative folders from the working directory and absolute ones as they are', () => {
    expect(fileObjectStoreFolder('file://./data/objects', '/srv/mantis')).toBe('/srv/mantis/data/objects');
    expect(fileObjectStoreFolder('file://data/objects', '/srv/mantis')).toBe('/srv/mantis/data/objects');
    expect(fileObjectStoreFolder('file:///var/lib/mantis/objects', '/srv')).toBe('/var/lib/mantis/objects');
    expect(fileObjectStoreFolder('file:///var/lib/my%20objects/', '/srv')).toBe('/var/lib/my objects');
  });

  it.each([
    ['s3://bucket', 'objectStore.url: expected file://<folder>, got s3://bucket'],
    ['file://', 'objectStore.url: file://: name a folder, not the root'],
    ['file:///', 'objectStore.url: file:///: name a folder, not the root'],
    [
      'file://./objects?sync=false',
      'objectStore.url: file://./objects?sync=false: a file:// object store takes no query or fragment',
    ],
    ['file://./bad%zz', 'objectStore.url: file://./bad%zz: malformed percent-escape'],
    ['file://./a%00b', 'objectStore.url: file://./a%00b: holds a NUL character'],
  ])('refuses %s', (url, message) => {
    expect(() => fileObjectStoreFolder(url, '/srv')).toThrow(message);
  });

  it('defaults to file://<dataDir>/objects', () => {
    expect(objectStoreUrl({ dataDir: './data' })).toBe('file://./data/objects');
    expect(objectStoreUrl({ dataDir: '/var/lib/mantis' })).toBe('file:///var/lib/mantis/objects');
    expect(objectStoreUrl({ dataDir: './data', objectStore: { url: 's3://b-1' } })).toBe('s3://b-1');
  });
});
