// The types of openapi-fetch's dist/index.mjs, which the server serves at /console/vendor/openapi-fetch/index.mjs
// (src/api/console.ts): web/api.js imports it by that URL, and TypeScript reads this file for it.
export * from 'openapi-fetch';
export { default } from 'openapi-fetch';
