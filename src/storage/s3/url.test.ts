import { describe, expect, it } from 'vitest';
import { parseS3Url } from './url.ts';

describe('s3:// URLs', () => {
  it('reads bucket, prefix, endpoint, region and path style', () => {
    expect(
      parseS3Url(
        's3://mantis-objects/exports/daily?endpoint=http://127.0.0.1:9000&region=eu-west-3&forcePathStyle=true',
        {},
      ),
    ).toEqual({
      bucket: 'mantis-objects',
      prefix: 'exports/daily/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-3',
      forcePathStyle: true,
    });
  });

  it('defaults: path style with an endpoint, virtual-hosted on AWS; region from AWS_REGION, else us-east-1', () => {
    expect(parseS3Url('s3://mantis-objects?endpoint=http://minio:9000/', {})).toEqual({
      bucket: 'mantis-objects',
      prefix: '',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect(parseS3Url('s3://mantis-objects', { AWS_REGION: 'ca-central-1' })).toEqual({
      bucket: 'mantis-objects',
      prefix: '',
      endpoint: undefined,
      region: 'ca-central-1',
      forcePathStyle: false,
    });
    expect(
      parseS3Url('s3://mantis-objects?endpoint=http://minio:9000&forcePathStyle=false', {}).forcePathStyle,
    ).toBe(false);
  });

  it.each([
    [
      's3://key:secret@mantis-objects',
      'objectStore.url: credentials are not taken from the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)',
    ],
    ['http://mantis-objects', 'objectStore.url: expected s3://bucket, got http:'],
    [
      's3://Mantis_Objects',
      'objectStore.url: bucket "Mantis_Objects": 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
    ],
    [
      's3://ab',
      'objectStore.url: bucket "ab": 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
    ],
    [
      's3://mantis-objects?endpoint=minio:9000',
      'objectStore.url: endpoint "minio:9000": expected http(s)://host:port',
    ],
    [
      's3://mantis-objects?bucket=x&acl=public',
      'objectStore.url: unknown parameter bucket, acl; expected endpoint, region, forcePathStyle',
    ],
    [
      's3://mantis-objects?forcePathStyle=yes',
      'objectStore.url: forcePathStyle: expected true or false, got "yes"',
    ],
    ['s3://mantis-objects:9000', 'objectStore.url: the port belongs in ?endpoint=, not after the bucket'],
    ['s3://mantis-objects/a//b', 'objectStore.url: prefix "a//b/": empty, . or .. segment'],
  ])('refuses %s', (url, message) => {
    expect(() => parseS3Url(url, {})).toThrow(message);
  });
});
