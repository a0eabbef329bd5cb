// Generated from the API's OpenAPI document (GET /openapi.json) by `npm run api-types`
// (scripts/gen-api-types.ts). Do not edit: test/api-client-types.test.ts fails when it differs from the document.

export interface paths {
    "/v1/readings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest a batch of readings
         * @description A JSON array, {"readings": [...]}, a single reading, or NDJSON (one reading per line). Each item is validated on its own; good items are kept and each rejected one is reported by index. The body may be gzip, deflate or br encoded (content-encoding); the body limit counts it decoded.
         *
         *     Needs a device token (or an admin key).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example [
                     *       {
                     *         "sensorId": "pump-1.temp",
                     *         "ts": "2026-11-27T12:00:00Z",
                     *         "value": 52.4
                     *       },
                     *       {
                     *         "sensorId": "pump-1.temp",
                     *         "ts": 1764244810000,
                     *         "value": 52.6
                     *       }
                     *     ]
                     */
                    "application/json": ({
                        /** @description a registered sensor id */
                        sensorId: string;
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        ts: number | string;
                        /** @description the value, in the sensor's unit */
                        value: number;
                    } | {
                        /** @description a registered sensor id */
                        sensorId: string;
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        ts: number | string;
                        /** @description sample rate, Hz: within 1 % of the sensor's registered sampleRateHz unless it is registered with rateVaries */
                        rateHz: number;
                        /** @description evenly spaced samples from ts, in the sensor's unit */
                        values: number[];
                    })[] | {
                        readings: ({
                            /** @description a registered sensor id */
                            sensorId: string;
                            /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                            ts: number | string;
                            /** @description the value, in the sensor's unit */
                            value: number;
                        } | {
                            /** @description a registered sensor id */
                            sensorId: string;
                            /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                            ts: number | string;
                            /** @description sample rate, Hz: within 1 % of the sensor's registered sampleRateHz unless it is registered with rateVaries */
                            rateHz: number;
                            /** @description evenly spaced samples from ts, in the sensor's unit */
                            values: number[];
                        })[];
                    } | ({
                        /** @description a registered sensor id */
                        sensorId: string;
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        ts: number | string;
                        /** @description the value, in the sensor's unit */
                        value: number;
                    } | {
                        /** @description a registered sensor id */
                        sensorId: string;
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        ts: number | string;
                        /** @description sample rate, Hz: within 1 % of the sensor's registered sampleRateHz unless it is registered with rateVaries */
                        rateHz: number;
                        /** @description evenly spaced samples from ts, in the sensor's unit */
                        values: number[];
                    });
                    "application/x-ndjson": string;
                };
            };
            responses: {
                /** @description At least one item accepted. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description items accepted and published */
                            accepted: number;
                            /** @description each refused item: its index in the batch, the field and why */
                            rejected: {
                                index: number;
                                /** @description e.g. `ts`, `value`, `values[3]` */
                                field: string;
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every item rejected. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description items accepted and published */
                            accepted: number;
                            /** @description each refused item: its index in the batch, the field and why */
                            rejected: {
                                index: number;
                                /** @description e.g. `ts`, `value`, `values[3]` */
                                field: string;
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bearings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bearing catalogue: geometry, its source, and defect frequencies in orders
         * @description A sensor’s bearing named by one of these designations takes its geometry from here; any other designation needs its geometry in the asset’s body.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description by designation */
                            items: {
                                /** @description the name a sensor’s bearings give (`6205`) */
                                designation: string;
                                /** @description kind and maker of the bearing */
                                description: string;
                                /** @description publication the geometry comes from */
                                source: string;
                                geometry: {
                                    /** @description number of rolling elements (of one row) */
                                    rollingElements: number;
                                    /** @description rolling-element diameter d, mm */
                                    ballDiameterMm: number;
                                    /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                    pitchDiameterMm: number;
                                    /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                    contactAngleDeg: number;
                                };
                                /** @description defect frequencies per unit shaft frequency (multiply by the shaft Hz) */
                                orders: {
                                    /** @description ball pass frequency, outer race */
                                    bpfo: number;
                                    /** @description ball pass frequency, inner race */
                                    bpfi: number;
                                    /** @description ball spin frequency; a rolling-element defect strikes at 2 × BSF */
                                    bsf: number;
                                    /** @description fundamental train (cage) frequency */
                                    ftf: number;
                                };
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sites by id, a page at a time
         * @description Pass a page’s `next` back as `cursor` for the next page.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description active: only those not retired; retired: only retired ones; all: both */
                    status?: "active" | "retired" | "all";
                    limit?: number;
                    /** @description the `next` of the previous page: the last id listed (any id starts after it) */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description by id */
                            items: {
                                id: string;
                                /** @description display name */
                                name: string;
                                /**
                                 * Format: date-time
                                 * @description when the site was created
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description when the site last changed
                                 */
                                updatedAt: string;
                                /**
                                 * Format: date-time
                                 * @description when the site was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                                /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                                version: number;
                            }[];
                            /** @description cursor of the next page (the last id listed); null on the last */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a site
         * @description 409 when the id is taken (by an active or a retired site).
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "id": "plant-a",
                     *       "name": "Plant A"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        /** @description display name */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The site created */
                201: {
                    headers: {
                        /** @description its URL, /v1/sites/{id} */
                        location?: string;
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the site was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the site last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the site was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One site; ETag is its version
         * @description A retired one answers 404 saying when it was retired, unless asked with `retired=true`.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The site as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the site was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the site last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the site was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Retire a site with nothing active left in it (409 otherwise); its history stays
         * @description 409 when it is retired already or still has active lines or assets; 412 when If-Match names another version. Reads of it then answer 404 unless asked with retired=true.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The site, retired */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the site was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the site last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the site was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rename a site (with If-Match, only from that version)
         * @description 412 when If-Match names another version than the stored one.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description display name */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The site as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the site was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the site last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the site was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/lines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lines by id, a page at a time
         * @description Pass a page’s `next` back as `cursor` for the next page.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only the lines of this site */
                    site?: string;
                    /** @description active: only those not retired; retired: only retired ones; all: both */
                    status?: "active" | "retired" | "all";
                    limit?: number;
                    /** @description the `next` of the previous page: the last id listed (any id starts after it) */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description by id */
                            items: {
                                id: string;
                                /** @description display name */
                                name: string;
                                /**
                                 * Format: date-time
                                 * @description when the line was created
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description when the line last changed
                                 */
                                updatedAt: string;
                                /**
                                 * Format: date-time
                                 * @description when the line was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                                /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                                version: number;
                                /** @description the site the line is in */
                                siteId: string;
                            }[];
                            /** @description cursor of the next page (the last id listed); null on the last */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a line
         * @description 404 naming body.siteId when the site does not exist; 409 when it is retired or the id is taken.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "id": "line-1",
                     *       "siteId": "plant-a",
                     *       "name": "Line 1"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        /** @description display name */
                        name: string;
                        /** @description an existing site, not retired */
                        siteId: string;
                    };
                };
            };
            responses: {
                /** @description The line created */
                201: {
                    headers: {
                        /** @description its URL, /v1/lines/{id} */
                        location?: string;
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the line was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the line last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the line was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description the site the line is in */
                            siteId: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One line; ETag is its version
         * @description A retired one answers 404 saying when it was retired, unless asked with `retired=true`.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The line as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the line was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the line last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the line was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description the site the line is in */
                            siteId: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Retire a line with nothing active left in it (409 otherwise); its history stays
         * @description 409 when it is retired already or still has active assets; 412 when If-Match names another version. Reads of it then answer 404 unless asked with retired=true.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The line, retired */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the line was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the line last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the line was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description the site the line is in */
                            siteId: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rename a line (with If-Match, only from that version)
         * @description 412 when If-Match names another version than the stored one.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description display name */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The line as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description display name */
                            name: string;
                            /**
                             * Format: date-time
                             * @description when the line was created
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description when the line last changed
                             */
                            updatedAt: string;
                            /**
                             * Format: date-time
                             * @description when the line was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description the site the line is in */
                            siteId: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Assets with their sensors and health, filtered and sorted, a page at a time
         * @description Pass a page’s `next` back as `cursor`, with the same filters and sort. Refused: a cursor of the form of another sort (422: sort=id takes an id, sort=name or health `<listing>~<offset>[~<lastId>]`); a listing cursor given with other filters or sort than its first page (422); a listing that does not exist or has expired (404, kept for 1 hour): start again without a cursor.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only assets of this site */
                    site?: string;
                    /** @description only assets of this line */
                    line?: string;
                    /** @description only assets of this type */
                    kind?: string;
                    /** @description active: only those not retired; retired: only retired ones; all: both */
                    status?: "active" | "retired" | "all";
                    /** @description health: worst first, assets not yet scored last. id pages by id, which never changes. name and health change while a client pages, so their pages follow the order taken when the first page was served (kept for 1 hour): every asset is listed once, an asset that gets worse meanwhile is listed where it stood, and assets registered since come after the ranked ones, by id. Items show current values. */
                    sort?: "id" | "name" | "health";
                    limit?: number;
                    /** @description the `next` of the previous page. sort=id: the last id listed (any id starts after it). sort=name or health: `<listing>~<offset>` or `<listing>~<offset>~<lastId>`: the listing (a UUID) whose order the first page took, the position in it, and the last asset listed after it. A cursor of the other form than the sort asked gets 422; a listing that does not exist or has expired 404 */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                siteId: string;
                                lineId: string;
                                /** @description display name */
                                name: string;
                                /** @description asset type, e.g. pump */
                                kind: string;
                                /** @description latest health score, 0–100 (100 healthy); null until a window is scored */
                                health: number | null;
                                /**
                                 * Format: date-time
                                 * @description when health was last set; null until then
                                 */
                                healthUpdatedAt: string | null;
                                /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                                idealCycleSeconds: number | null;
                                /**
                                 * Format: date-time
                                 * @description when the asset was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                                /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                                machine: {
                                    /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                                    speed: {
                                        /** @enum {string} */
                                        source: "fixed" | "sensor" | "estimated";
                                    } & (unknown & unknown & unknown);
                                    /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                                    severity?: {
                                        /**
                                         * @description 1: rated power above 300 kW; 2: 15–300 kW
                                         * @enum {integer}
                                         */
                                        group: 1 | 2;
                                        /** @enum {string} */
                                        foundation: "rigid" | "flexible";
                                        /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                        boundaries?: {
                                            /** @description A/B */
                                            ab?: number;
                                            /** @description B/C */
                                            bc?: number;
                                            /** @description C/D */
                                            cd?: number;
                                        };
                                    };
                                } | null;
                                /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                                version: number;
                                /** @description its sensors, retired ones included (retiredAt set), by id */
                                sensors: {
                                    id: string;
                                    /** @enum {string} */
                                    kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                                    /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                                    unit: string;
                                    /** @description registered sample rate, Hz */
                                    sampleRateHz: number;
                                    /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                                    rateVaries: boolean;
                                    /** @description lowest plausible value, in unit; below validMax */
                                    validMin: number;
                                    /** @description highest plausible value, in unit; above validMin */
                                    validMax: number;
                                    /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                                    bearings: {
                                        /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                        designation: string;
                                        /** @description where it sits, e.g. "drive end" */
                                        location?: string;
                                        /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                        geometry?: {
                                            /** @description number of rolling elements (of one row) */
                                            rollingElements: number;
                                            /** @description rolling-element diameter d, mm */
                                            ballDiameterMm: number;
                                            /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                            pitchDiameterMm: number;
                                            /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                            contactAngleDeg: number;
                                        };
                                    }[] | null;
                                    /**
                                     * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                                     * @enum {string|null}
                                     */
                                    axis: "radial" | "axial" | null;
                                    /** @description the asset it is on */
                                    assetId: string;
                                    /**
                                     * Format: date-time
                                     * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                                     */
                                    retiredAt: string | null;
                                    /**
                                     * Format: date-time
                                     * @description time of the sensor's latest reading stored, ISO 8601 in UTC (a sample block's time is its first sample's); null when none has been stored
                                     */
                                    lastReadingAt: string | null;
                                    /** @description true when the sensor is not retired and has sent no reading for longer than the stale period (pipeline.sensorStaleSeconds, 900 s by default), counted from its latest reading, or from its registration (or registration again after retirement) when it has sent none since */
                                    stale: boolean;
                                }[];
                                /**
                                 * Format: date-time
                                 * @description time of the latest reading stored of any of its sensors, ISO 8601 in UTC (a sample block's time is its first sample's); null when none has been stored
                                 */
                                lastReadingAt: string | null;
                                /** @description true when any of its sensors is stale (see sensors[].stale) */
                                stale: boolean;
                                /** @description the worst ISO 20816-3 zone among the latest windows of its vibration sensors that have one; null when none has (no vibration sensor, no machine class, or no window yet) */
                                severity: {
                                    /**
                                     * @description A newly commissioned, B long-term operation, C restricted, D damage likely
                                     * @enum {string}
                                     */
                                    zone: "A" | "B" | "C" | "D";
                                    /** @description r.m.s. velocity over 10–1000 Hz, mm/s */
                                    velocityRms: number;
                                    /** @description the vibration sensor of that window */
                                    sensorId: string;
                                    /** @description start of that window, epoch ms */
                                    windowStart: number;
                                } | null;
                            }[];
                            /** @description cursor of the next page; null on the last */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One asset with its latest features per sensor and its remaining useful life; ETag is its version
         * @description A retired one answers 404 saying when it was retired, unless asked with `retired=true`.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "pump-1",
                         *       "siteId": "plant-a",
                         *       "lineId": "line-1",
                         *       "name": "Feed pump 1",
                         *       "kind": "pump",
                         *       "health": 100,
                         *       "healthUpdatedAt": "2026-11-27T12:00:10.000Z",
                         *       "idealCycleSeconds": null,
                         *       "retiredAt": null,
                         *       "machine": {
                         *         "speed": {
                         *           "source": "fixed",
                         *           "rpm": 1797
                         *         }
                         *       },
                         *       "version": 3,
                         *       "lastReadingAt": "2026-11-27T12:00:09.000Z",
                         *       "stale": false,
                         *       "sensors": [
                         *         {
                         *           "id": "pump-1.temp",
                         *           "assetId": "pump-1",
                         *           "kind": "temperature",
                         *           "unit": "degC",
                         *           "sampleRateHz": 1,
                         *           "rateVaries": false,
                         *           "validMin": -40,
                         *           "validMax": 150,
                         *           "retiredAt": null,
                         *           "bearings": null,
                         *           "axis": null,
                         *           "lastReadingAt": "2026-11-27T12:00:09.000Z",
                         *           "stale": false
                         *         }
                         *       ],
                         *       "latestFeatures": {
                         *         "pump-1.temp": {
                         *           "assetId": "pump-1",
                         *           "sensorId": "pump-1.temp",
                         *           "windowStart": 1795780800000,
                         *           "windowEnd": 1795780810000,
                         *           "count": 10,
                         *           "mean": 52.4,
                         *           "min": 52.1,
                         *           "max": 52.8,
                         *           "std": 0.2,
                         *           "rms": 52.4,
                         *           "peakToPeak": 0.7,
                         *           "crestFactor": 1.008,
                         *           "skewness": 0.1,
                         *           "kurtosis": 2.9,
                         *           "dominantHz": null,
                         *           "bandEnergies": null,
                         *           "anomalyScore": 0.2,
                         *           "health": 100
                         *         }
                         *       },
                         *       "remainingUsefulLife": {
                         *         "status": "not-degrading",
                         *         "reason": "health is at 100: no deviation from the baseline",
                         *         "model": "exponential",
                         *         "confidence": 0.9,
                         *         "asOf": 1795780800000,
                         *         "health": 100,
                         *         "fittedOn": null,
                         *         "sensorId": "pump-1.temp",
                         *         "sensors": [
                         *           {
                         *             "sensorId": "pump-1.temp",
                         *             "status": "not-degrading",
                         *             "failureHoursLeft": null
                         *           }
                         *         ],
                         *         "points": [],
                         *         "trend": [],
                         *         "lookbackHours": 24,
                         *         "source": "windows",
                         *         "windowsFrom": 1795766400000
                         *       },
                         *       "healthModel": null,
                         *       "alertBelow": 40
                         *     }
                         */
                        "application/json": {
                            id: string;
                            siteId: string;
                            lineId: string;
                            /** @description display name */
                            name: string;
                            /** @description asset type, e.g. pump */
                            kind: string;
                            /** @description latest health score, 0–100 (100 healthy); null until a window is scored */
                            health: number | null;
                            /**
                             * Format: date-time
                             * @description when health was last set; null until then
                             */
                            healthUpdatedAt: string | null;
                            /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                            idealCycleSeconds: number | null;
                            /**
                             * Format: date-time
                             * @description when the asset was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                            machine: {
                                /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                                speed: {
                                    /** @enum {string} */
                                    source: "fixed" | "sensor" | "estimated";
                                } & (unknown & unknown & unknown);
                                /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                                severity?: {
                                    /**
                                     * @description 1: rated power above 300 kW; 2: 15–300 kW
                                     * @enum {integer}
                                     */
                                    group: 1 | 2;
                                    /** @enum {string} */
                                    foundation: "rigid" | "flexible";
                                    /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                    boundaries?: {
                                        /** @description A/B */
                                        ab?: number;
                                        /** @description B/C */
                                        bc?: number;
                                        /** @description C/D */
                                        cd?: number;
                                    };
                                };
                            } | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description its sensors, retired ones included (retiredAt set), by id */
                            sensors: {
                                id: string;
                                /** @enum {string} */
                                kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                                /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                                unit: string;
                                /** @description registered sample rate, Hz */
                                sampleRateHz: number;
                                /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                                rateVaries: boolean;
                                /** @description lowest plausible value, in unit; below validMax */
                                validMin: number;
                                /** @description highest plausible value, in unit; above validMin */
                                validMax: number;
                                /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                                bearings: {
                                    /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                    designation: string;
                                    /** @description where it sits, e.g. "drive end" */
                                    location?: string;
                                    /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                    geometry?: {
                                        /** @description number of rolling elements (of one row) */
                                        rollingElements: number;
                                        /** @description rolling-element diameter d, mm */
                                        ballDiameterMm: number;
                                        /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                        pitchDiameterMm: number;
                                        /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                        contactAngleDeg: number;
                                    };
                                }[] | null;
                                /**
                                 * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                                 * @enum {string|null}
                                 */
                                axis: "radial" | "axial" | null;
                                /** @description the asset it is on */
                                assetId: string;
                                /**
                                 * Format: date-time
                                 * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                                /**
                                 * Format: date-time
                                 * @description time of the sensor's latest reading stored, ISO 8601 in UTC (a sample block's time is its first sample's); null when none has been stored
                                 */
                                lastReadingAt: string | null;
                                /** @description true when the sensor is not retired and has sent no reading for longer than the stale period (pipeline.sensorStaleSeconds, 900 s by default), counted from its latest reading, or from its registration (or registration again after retirement) when it has sent none since */
                                stale: boolean;
                            }[];
                            /**
                             * Format: date-time
                             * @description time of the latest reading stored of any of its sensors, ISO 8601 in UTC (a sample block's time is its first sample's); null when none has been stored
                             */
                            lastReadingAt: string | null;
                            /** @description true when any of its sensors is stale (see sensors[].stale) */
                            stale: boolean;
                            /** @description each sensor's latest window, by sensor id (from the online store, else the database) */
                            latestFeatures: {
                                [key: string]: {
                                    assetId: string;
                                    sensorId: string;
                                    /** @description start of the window (inclusive), epoch ms */
                                    windowStart: number;
                                    /** @description end of the window (exclusive), epoch ms */
                                    windowEnd: number;
                                    /** @description samples in the window */
                                    count: number;
                                    /** @description arithmetic mean */
                                    mean: number;
                                    /** @description smallest sample */
                                    min: number;
                                    /** @description largest sample */
                                    max: number;
                                    /** @description population standard deviation; null when beyond the double range */
                                    std: number | null;
                                    /** @description root mean square */
                                    rms: number;
                                    /** @description max − min; null when beyond the double range (max near +1.8e308, min near −1.8e308) */
                                    peakToPeak: number | null;
                                    /** @description peak / RMS (dimensionless); null for a flat signal */
                                    crestFactor: number | null;
                                    /** @description third standardised moment; null for a flat signal */
                                    skewness: number | null;
                                    /** @description Pearson's kurtosis: 3 for a normal distribution; null for a flat signal */
                                    kurtosis: number | null;
                                    /** @description frequency of the strongest spectral line, Hz; sample blocks only */
                                    dominantHz: number | null;
                                    /** @description spectral power (the sensor unit squared) in each band between the pipeline's band edges (Hz); sample blocks only */
                                    bandEnergies: (number | null)[] | null;
                                    /** @description anomaly score against the sensor baseline (dimensionless); null while learning */
                                    anomalyScore: number | null;
                                    /** @description health 0 (failed) to 100 (healthy); null while learning */
                                    health: number | null;
                                    /** @description r.m.s. velocity, mm/s (ISO 20816-3, 10–1000 Hz); vibration sensors with a machine model */
                                    velocityRms?: number | null;
                                    /**
                                     * @description ISO 20816-3 zone of velocityRms for the machine class
                                     * @enum {string|null}
                                     */
                                    severityZone?: "A" | "B" | "C" | "D" | null;
                                    /** @description vibration sensors with a machine model: running speed, envelope levels and named faults of the window; null otherwise */
                                    diagnostics?: {
                                        /** @description sample blocks diagnosed */
                                        blocks: number;
                                        /** @description blocks that could not be diagnosed */
                                        skipped?: {
                                            /** @description blocks concerned */
                                            blocks: number;
                                            /** @description the first reason */
                                            reason: string;
                                        };
                                        /** @description blocks diagnosed without an r.m.s. velocity */
                                        velocitySkipped?: {
                                            /** @description blocks concerned */
                                            blocks: number;
                                            /** @description the first reason */
                                            reason: string;
                                        };
                                        /** @description running speed used (mean over the blocks) and where it came from */
                                        speed: {
                                            /** @description `fixed`, `sensor` or `estimated` */
                                            source: string;
                                            /** @description shaft speed, Hz; null when none could be had */
                                            hz: number | null;
                                            /** @description shaft speed, rpm */
                                            rpm: number | null;
                                            /** @description why there is no speed */
                                            reason?: string;
                                        };
                                        /** @description envelope band of the block with the strongest defect level, Hz */
                                        band: {
                                            lowHz: number;
                                            highHz: number;
                                        } | null;
                                        /** @description each bearing defect's strongest envelope level over the window */
                                        envelope: {
                                            /** @description bearing label, e.g. "6205 (drive end)" */
                                            bearing: string;
                                            /** @enum {string} */
                                            defect: "bpfo" | "bpfi" | "rollingElement" | "ftf";
                                            /** @description defect frequency at the speed used, Hz */
                                            expectedHz: number;
                                            /** @description where the strongest peak was found, Hz */
                                            foundHz: number;
                                            /** @description level above the envelope spectrum's local floor, dB */
                                            dbAboveFloor: number;
                                        }[];
                                        /** @description faults named in the window */
                                        diagnoses: {
                                            /** @description e.g. `bearing-outer-race`, `unbalance` */
                                            fault: string;
                                            bearing?: {
                                                designation: string;
                                                location: string | null;
                                            };
                                            /** @description highest confidence, 0–1 */
                                            confidence: number;
                                            /** @description blocks that named it */
                                            blocks: number;
                                            /** @description the strongest block's evidence: named levels (dB, ratios, Hz) */
                                            evidence: {
                                                [key: string]: number;
                                            };
                                            message: string;
                                        }[];
                                        /** @description rules the blocks could not evaluate, with the first reason */
                                        declined?: {
                                            rule: string;
                                            bearing?: string;
                                            reason: string;
                                            /** @description blocks that declined it */
                                            blocks: number;
                                        }[];
                                    } | null;
                                };
                            };
                            /** @description remaining useful life: the most urgent sensor's health trend (exponential degradation of the anomaly score, Theil–Sen fit) and when it crosses the alert and failure lines, or the plain reason there is no estimate */
                            remainingUsefulLife: {
                                /**
                                 * @description estimated: alert and failure predicted; insufficient-trend: too few points falling to fit; not-degrading: health steady or rising; below-threshold: already below the failure line
                                 * @enum {string}
                                 */
                                status: "estimated" | "insufficient-trend" | "not-degrading" | "below-threshold";
                                /** @description why there is no estimate; absent when estimated */
                                reason?: string;
                                /**
                                 * @description exponential: ln(anomaly score) linear in time; linear: the score itself
                                 * @enum {string}
                                 */
                                model: "exponential" | "linear";
                                /** @description two-sided confidence of the intervals, 0–1 */
                                confidence: number;
                                /** @description the sensor the estimate is for; null when none has health */
                                sensorId: string | null;
                                /** @description latest point, epoch ms: hours left count from it; null without points */
                                asOf: number | null;
                                /** @description latest health of that sensor, 0–100; null without points */
                                health: number | null;
                                /** @description when health crosses the alert line (scoring.alertBelow); absent unless estimated or below-threshold */
                                alert?: {
                                    /** @description the health line, 0–100 */
                                    threshold: number;
                                    /** @description the latest health is already below it */
                                    reached: boolean;
                                    /** @description predicted crossing, epoch ms; when reached, the first point below it */
                                    at: number;
                                    /** @description hours from asOf to at; 0 when reached */
                                    hoursLeft: number;
                                    /** @description lower bound of hoursLeft, hours (interval of the given confidence) */
                                    low: number;
                                    /** @description upper bound of hoursLeft, hours */
                                    high: number;
                                };
                                /** @description when health crosses the failure line (half the alert line, where alerts turn critical); absent unless estimated or below-threshold */
                                failure?: {
                                    /** @description the health line, 0–100 */
                                    threshold: number;
                                    /** @description the latest health is already below it */
                                    reached: boolean;
                                    /** @description predicted crossing, epoch ms; when reached, the first point below it */
                                    at: number;
                                    /** @description hours from asOf to at; 0 when reached */
                                    hoursLeft: number;
                                    /** @description lower bound of hoursLeft, hours (interval of the given confidence) */
                                    low: number;
                                    /** @description upper bound of hoursLeft, hours */
                                    high: number;
                                };
                                /** @description the fit; null when too few points were there to fit */
                                fittedOn: {
                                    /** @description first fitted point, epoch ms */
                                    from: number;
                                    /** @description last fitted point, epoch ms */
                                    to: number;
                                    /** @description points fitted */
                                    points: number;
                                    /**
                                     * @description what is fitted against time: ln(anomaly score) (exponential) or the score (linear)
                                     * @enum {string}
                                     */
                                    signal: "ln(score)" | "score";
                                    /** @description Theil–Sen slope of the signal per hour (positive: degrading) */
                                    slopePerHour: number;
                                    /** @description lower bound of the slope, per hour */
                                    slopeLowPerHour: number;
                                    /** @description upper bound of the slope, per hour */
                                    slopeHighPerHour: number;
                                    /** @description health on the fitted curve at `to`, 0–100 */
                                    healthAtEnd: number;
                                } | null;
                                /** @description the fitted points (health since it left 100), thinned to about 120 */
                                points: {
                                    /** @description epoch ms */
                                    t: number;
                                    /** @description health, 0–100 */
                                    health: number;
                                }[];
                                /** @description the fitted curve up to the predicted failure, thinned; empty unless estimated */
                                trend: {
                                    /** @description epoch ms */
                                    t: number;
                                    /** @description health, 0–100 */
                                    health: number;
                                }[];
                                /** @description each active sensor's status */
                                sensors: {
                                    sensorId: string;
                                    /** @enum {string} */
                                    status: "estimated" | "insufficient-trend" | "not-degrading" | "below-threshold";
                                    /** @description hours until its failure line; null without a crossing */
                                    failureHoursLeft: number | null;
                                }[];
                                /** @description ml.rulLookbackHours: history read, hours */
                                lookbackHours: number;
                                /**
                                 * @description what the fitted points are: windows' health only, or also, before windowsFrom, the lowest health of 1-minute or hourly roll-up buckets
                                 * @enum {string}
                                 */
                                source: "windows" | "1m" | "1h";
                                /** @description epoch ms from which points are windows (at most 1 440 per sensor); before it, roll-up buckets */
                                windowsFrom: number;
                            };
                            /** @description The champion model of the asset type (registered name and version): it scores the vibration windows that carry its features (sensors with a machine model); the baseline scorer scores the others, and every window when null */
                            healthModel: {
                                /** @description the registered model name in the ML tracking server */
                                name: string;
                                /** @description the registered model's version, as the tracking server numbers it */
                                version: string;
                            } | null;
                            /** @description health (0–100) under which an alert is raised (scoring.alertBelow): the threshold to draw beside health */
                            alertBelow: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /**
         * Register or replace an asset, its machine model and its sensors (its site and line are created on first use)
         * @description Listed sensors are added, replaced, or registered again if retired; others stay as they are. Refused with 422 naming the field: a sensor id listed twice; validMin not below validMax; a line of another site (409 when it is retired); a machine model or bearings that do not fit the sensors (see the machine schema: a bearing designation outside GET /v1/bearings without geometry, ballDiameterMm not below pitchDiameterMm, estimated speed minHz not below maxHz, severity boundaries not increasing, bearings or axis on a sensor that is not a vibration sensor in m/s² or g, a speed sensor of another kind or unit). 404 naming body.machine.speed.sensorId when the speed sensor is not an active sensor of this asset; 409 when the asset is retired or a sensor id belongs to another asset; 412 when If-Match names another version (or the asset does not exist yet).
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        put: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "siteId": "plant-a",
                     *       "lineId": "line-1",
                     *       "name": "Feed pump 1",
                     *       "kind": "pump",
                     *       "idealCycleSeconds": null,
                     *       "machine": {
                     *         "speed": {
                     *           "source": "fixed",
                     *           "rpm": 1797
                     *         },
                     *         "severity": {
                     *           "group": 2,
                     *           "foundation": "rigid"
                     *         }
                     *       },
                     *       "sensors": [
                     *         {
                     *           "id": "pump-1.vib",
                     *           "kind": "vibration",
                     *           "unit": "m/s²",
                     *           "sampleRateHz": 12800,
                     *           "validMin": -500,
                     *           "validMax": 500,
                     *           "axis": "radial",
                     *           "bearings": [
                     *             {
                     *               "designation": "6205",
                     *               "location": "drive end"
                     *             }
                     *           ]
                     *         },
                     *         {
                     *           "id": "pump-1.temp",
                     *           "kind": "temperature",
                     *           "unit": "degC",
                     *           "sampleRateHz": 1,
                     *           "validMin": -40,
                     *           "validMax": 150
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description its site; created on first use */
                        siteId: string;
                        /** @description its line, of that site; created on first use */
                        lineId: string;
                        /** @description display name */
                        name: string;
                        /** @description asset type, e.g. pump */
                        kind: string;
                        /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                        idealCycleSeconds?: number | null;
                        /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                        machine?: {
                            /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                            speed: {
                                /** @enum {string} */
                                source: "fixed" | "sensor" | "estimated";
                            } & (unknown & unknown & unknown);
                            /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                            severity?: {
                                /**
                                 * @description 1: rated power above 300 kW; 2: 15–300 kW
                                 * @enum {integer}
                                 */
                                group: 1 | 2;
                                /** @enum {string} */
                                foundation: "rigid" | "flexible";
                                /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                boundaries?: {
                                    /** @description A/B */
                                    ab?: number;
                                    /** @description B/C */
                                    bc?: number;
                                    /** @description C/D */
                                    cd?: number;
                                };
                            };
                        } | null;
                        /** @description sensors to add or replace, each id once; sensors not listed stay as they are */
                        sensors: {
                            id: string;
                            /** @enum {string} */
                            kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                            /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                            unit: string;
                            /** @description registered sample rate, Hz */
                            sampleRateHz: number;
                            /**
                             * @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz
                             * @default false
                             */
                            rateVaries?: boolean;
                            /** @description lowest plausible value, in unit; below validMax */
                            validMin: number;
                            /** @description highest plausible value, in unit; above validMin */
                            validMax: number;
                            /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                            bearings?: {
                                /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                designation: string;
                                /** @description where it sits, e.g. "drive end" */
                                location?: string;
                                /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                geometry?: {
                                    /** @description number of rolling elements (of one row) */
                                    rollingElements: number;
                                    /** @description rolling-element diameter d, mm */
                                    ballDiameterMm: number;
                                    /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                    pitchDiameterMm: number;
                                    /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                    contactAngleDeg: number;
                                };
                            }[] | null;
                            /**
                             * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                             * @enum {string|null}
                             */
                            axis?: "radial" | "axial" | null;
                        }[];
                    };
                };
            };
            responses: {
                /** @description The asset as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            siteId: string;
                            lineId: string;
                            /** @description display name */
                            name: string;
                            /** @description asset type, e.g. pump */
                            kind: string;
                            /** @description latest health score, 0–100 (100 healthy); null until a window is scored */
                            health: number | null;
                            /**
                             * Format: date-time
                             * @description when health was last set; null until then
                             */
                            healthUpdatedAt: string | null;
                            /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                            idealCycleSeconds: number | null;
                            /**
                             * Format: date-time
                             * @description when the asset was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                            machine: {
                                /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                                speed: {
                                    /** @enum {string} */
                                    source: "fixed" | "sensor" | "estimated";
                                } & (unknown & unknown & unknown);
                                /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                                severity?: {
                                    /**
                                     * @description 1: rated power above 300 kW; 2: 15–300 kW
                                     * @enum {integer}
                                     */
                                    group: 1 | 2;
                                    /** @enum {string} */
                                    foundation: "rigid" | "flexible";
                                    /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                    boundaries?: {
                                        /** @description A/B */
                                        ab?: number;
                                        /** @description B/C */
                                        bc?: number;
                                        /** @description C/D */
                                        cd?: number;
                                    };
                                };
                            } | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description its sensors, retired ones included (retiredAt set), by id */
                            sensors: {
                                id: string;
                                /** @enum {string} */
                                kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                                /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                                unit: string;
                                /** @description registered sample rate, Hz */
                                sampleRateHz: number;
                                /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                                rateVaries: boolean;
                                /** @description lowest plausible value, in unit; below validMax */
                                validMin: number;
                                /** @description highest plausible value, in unit; above validMin */
                                validMax: number;
                                /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                                bearings: {
                                    /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                    designation: string;
                                    /** @description where it sits, e.g. "drive end" */
                                    location?: string;
                                    /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                    geometry?: {
                                        /** @description number of rolling elements (of one row) */
                                        rollingElements: number;
                                        /** @description rolling-element diameter d, mm */
                                        ballDiameterMm: number;
                                        /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                        pitchDiameterMm: number;
                                        /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                        contactAngleDeg: number;
                                    };
                                }[] | null;
                                /**
                                 * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                                 * @enum {string|null}
                                 */
                                axis: "radial" | "axial" | null;
                                /** @description the asset it is on */
                                assetId: string;
                                /**
                                 * Format: date-time
                                 * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Retire an asset and its sensors: their readings are refused from now on, their history stays
         * @description 409 when it is retired already; 412 when If-Match names another version. Reads of it and of its sensors then answer 404 unless asked with retired=true.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The asset, retired */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            siteId: string;
                            lineId: string;
                            /** @description display name */
                            name: string;
                            /** @description asset type, e.g. pump */
                            kind: string;
                            /** @description latest health score, 0–100 (100 healthy); null until a window is scored */
                            health: number | null;
                            /**
                             * Format: date-time
                             * @description when health was last set; null until then
                             */
                            healthUpdatedAt: string | null;
                            /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                            idealCycleSeconds: number | null;
                            /**
                             * Format: date-time
                             * @description when the asset was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                            machine: {
                                /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                                speed: {
                                    /** @enum {string} */
                                    source: "fixed" | "sensor" | "estimated";
                                } & (unknown & unknown & unknown);
                                /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                                severity?: {
                                    /**
                                     * @description 1: rated power above 300 kW; 2: 15–300 kW
                                     * @enum {integer}
                                     */
                                    group: 1 | 2;
                                    /** @enum {string} */
                                    foundation: "rigid" | "flexible";
                                    /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                    boundaries?: {
                                        /** @description A/B */
                                        ab?: number;
                                        /** @description B/C */
                                        bc?: number;
                                        /** @description C/D */
                                        cd?: number;
                                    };
                                };
                            } | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description its sensors, retired ones included (retiredAt set), by id */
                            sensors: {
                                id: string;
                                /** @enum {string} */
                                kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                                /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                                unit: string;
                                /** @description registered sample rate, Hz */
                                sampleRateHz: number;
                                /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                                rateVaries: boolean;
                                /** @description lowest plausible value, in unit; below validMax */
                                validMin: number;
                                /** @description highest plausible value, in unit; above validMin */
                                validMax: number;
                                /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                                bearings: {
                                    /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                    designation: string;
                                    /** @description where it sits, e.g. "drive end" */
                                    location?: string;
                                    /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                    geometry?: {
                                        /** @description number of rolling elements (of one row) */
                                        rollingElements: number;
                                        /** @description rolling-element diameter d, mm */
                                        ballDiameterMm: number;
                                        /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                        pitchDiameterMm: number;
                                        /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                        contactAngleDeg: number;
                                    };
                                }[] | null;
                                /**
                                 * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                                 * @enum {string|null}
                                 */
                                axis: "radial" | "axial" | null;
                                /** @description the asset it is on */
                                assetId: string;
                                /**
                                 * Format: date-time
                                 * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an asset's name, kind, line, ideal cycle time or machine model (with If-Match, only from that version)
         * @description 404 when the asset does not exist, naming body.lineId when the line does not exist, or body.machine.speed.sensorId when the speed sensor is not an active sensor of the asset; 422 naming body.lineId when the line is of another site (409 when it is retired), and a machine model that does not fit its active sensors as for PUT; 409 when the asset is retired; 412 when If-Match names another version.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description display name */
                        name?: string;
                        /** @description asset type, e.g. pump */
                        kind?: string;
                        /** @description an existing line of the asset’s site, not retired */
                        lineId?: string;
                        /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                        idealCycleSeconds?: number | null;
                        /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                        machine?: {
                            /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                            speed: {
                                /** @enum {string} */
                                source: "fixed" | "sensor" | "estimated";
                            } & (unknown & unknown & unknown);
                            /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                            severity?: {
                                /**
                                 * @description 1: rated power above 300 kW; 2: 15–300 kW
                                 * @enum {integer}
                                 */
                                group: 1 | 2;
                                /** @enum {string} */
                                foundation: "rigid" | "flexible";
                                /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                boundaries?: {
                                    /** @description A/B */
                                    ab?: number;
                                    /** @description B/C */
                                    bc?: number;
                                    /** @description C/D */
                                    cd?: number;
                                };
                            };
                        } | null;
                    };
                };
            };
            responses: {
                /** @description The asset as stored now */
                200: {
                    headers: {
                        /** @description the version answered (`"3"`), for If-Match */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            siteId: string;
                            lineId: string;
                            /** @description display name */
                            name: string;
                            /** @description asset type, e.g. pump */
                            kind: string;
                            /** @description latest health score, 0–100 (100 healthy); null until a window is scored */
                            health: number | null;
                            /**
                             * Format: date-time
                             * @description when health was last set; null until then
                             */
                            healthUpdatedAt: string | null;
                            /** @description ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items */
                            idealCycleSeconds: number | null;
                            /**
                             * Format: date-time
                             * @description when the asset was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                            /** @description the machine model vibration diagnosis reads; null or absent: not diagnosed */
                            machine: {
                                /** @description how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz) */
                                speed: {
                                    /** @enum {string} */
                                    source: "fixed" | "sensor" | "estimated";
                                } & (unknown & unknown & unknown);
                                /** @description ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors */
                                severity?: {
                                    /**
                                     * @description 1: rated power above 300 kW; 2: 15–300 kW
                                     * @enum {integer}
                                     */
                                    group: 1 | 2;
                                    /** @enum {string} */
                                    foundation: "rigid" | "flexible";
                                    /** @description zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing */
                                    boundaries?: {
                                        /** @description A/B */
                                        ab?: number;
                                        /** @description B/C */
                                        bc?: number;
                                        /** @description C/D */
                                        cd?: number;
                                    };
                                };
                            } | null;
                            /** @description version, raised by every change: the ETag (`"3"`) that If-Match names */
                            version: number;
                            /** @description its sensors, retired ones included (retiredAt set), by id */
                            sensors: {
                                id: string;
                                /** @enum {string} */
                                kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                                /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                                unit: string;
                                /** @description registered sample rate, Hz */
                                sampleRateHz: number;
                                /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                                rateVaries: boolean;
                                /** @description lowest plausible value, in unit; below validMax */
                                validMin: number;
                                /** @description highest plausible value, in unit; above validMin */
                                validMax: number;
                                /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                                bearings: {
                                    /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                    designation: string;
                                    /** @description where it sits, e.g. "drive end" */
                                    location?: string;
                                    /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                    geometry?: {
                                        /** @description number of rolling elements (of one row) */
                                        rollingElements: number;
                                        /** @description rolling-element diameter d, mm */
                                        ballDiameterMm: number;
                                        /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                        pitchDiameterMm: number;
                                        /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                        contactAngleDeg: number;
                                    };
                                }[] | null;
                                /**
                                 * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                                 * @enum {string|null}
                                 */
                                axis: "radial" | "axial" | null;
                                /** @description the asset it is on */
                                assetId: string;
                                /**
                                 * Format: date-time
                                 * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                                 */
                                retiredAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/sensors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One sensor, with its asset and whether it is retired
         * @description A retired one answers 404 saying when it was retired, unless asked with `retired=true`. A sensor of a retired asset is retired with it.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            kind: "vibration" | "temperature" | "current" | "pressure" | "speed" | "other";
                            /** @description unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second) */
                            unit: string;
                            /** @description registered sample rate, Hz */
                            sampleRateHz: number;
                            /** @description true: sample blocks may come at any rate up to 10000000 Hz; false: within ±1 % of sampleRateHz */
                            rateVaries: boolean;
                            /** @description lowest plausible value, in unit; below validMax */
                            validMin: number;
                            /** @description highest plausible value, in unit; above validMin */
                            validMax: number;
                            /** @description vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis */
                            bearings: {
                                /** @description a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each (designation, location) once */
                                designation: string;
                                /** @description where it sits, e.g. "drive end" */
                                location?: string;
                                /** @description required for a designation not in the catalogue; with a catalogue designation it must be the catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out */
                                geometry?: {
                                    /** @description number of rolling elements (of one row) */
                                    rollingElements: number;
                                    /** @description rolling-element diameter d, mm */
                                    ballDiameterMm: number;
                                    /** @description pitch diameter D (circle through the elements’ centres), mm; larger than d */
                                    pitchDiameterMm: number;
                                    /** @description contact angle φ, degrees (0 for a deep-groove ball bearing under radial load) */
                                    contactAngleDeg: number;
                                };
                            }[] | null;
                            /**
                             * @description vibration sensors: the direction it measures (an axial one helps tell misalignment)
                             * @enum {string|null}
                             */
                            axis: "radial" | "axial" | null;
                            /** @description the asset it is on */
                            assetId: string;
                            /**
                             * Format: date-time
                             * @description when the sensor was retired (ISO 8601, UTC); null while it is active
                             */
                            retiredAt: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Retire a sensor: its readings are refused from now on, its history stays
         * @description 409 when it is retired already, or while its asset’s machine model reads the running speed from it (change the speed setting first). Reads of it then answer 404 unless asked with retired=true.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Retired */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Alerts, newest first, a page at a time (pass `next` back as `cursor`)
         * @description Every filter given must match.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    status?: "active" | "resolved";
                    /** @description only alerts on this asset */
                    asset?: string;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description alert id */
                                id: string;
                                assetId: string;
                                /** @description the sensor whose window raised it */
                                sensorId: string;
                                /** @description an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:<fault>`) */
                                cause: string;
                                /** @enum {string} */
                                severity: "warning" | "critical";
                                /** @enum {string} */
                                status: "active" | "resolved";
                                /** @description health when raised or last escalated, 0 (failed) to 100 (healthy): the evidence */
                                health: number;
                                /** @description anomaly score when raised or last escalated (dimensionless) */
                                score: number;
                                /** @description what it says, for people */
                                message: string;
                                /** @description when it was raised, epoch ms */
                                raisedAt: number;
                                /** @description when it was resolved; null while active, epoch ms */
                                resolvedAt: number | null;
                                /** @description when someone acknowledged it; null: nobody yet, epoch ms */
                                acknowledgedAt: number | null;
                                /** @description who acknowledged it */
                                acknowledgedBy: string | null;
                                /** @description who resolved it; null: nobody, or the processor on recovery */
                                resolvedBy: string | null;
                                /** @description the learned model whose score raised it (MLflow name and version); null: the baseline scorer */
                                model?: {
                                    name: string;
                                    version: string;
                                } | null;
                            }[];
                            /** @description cursor of the next page; null on the last */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/work-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Work orders, newest first, a page at a time (pass `next` back as `cursor`)
         * @description Every filter given must match. Each order carries its asset's site and line and the evidence of the alert that raised it.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    status?: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                    /** @description only orders on this asset */
                    asset?: string;
                    /** @description only orders on this site's assets (as placed now) */
                    site?: string;
                    /** @description only orders on this line's assets (as placed now) */
                    line?: string;
                    priority?: "low" | "medium" | "high" | "urgent";
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description newest first (by createdAt, then id) */
                            items: {
                                /** @description work order id */
                                id: string;
                                /** @description the asset to work on */
                                assetId: string;
                                /** @description the asset's site, as the asset is placed now */
                                siteId: string;
                                /** @description the asset's line, as the asset is placed now */
                                lineId: string;
                                /** @description the sensor concerned; null for an order about the whole asset */
                                sensorId: string | null;
                                /** @description what it was raised for: an alert cause (`vibration-anomaly`, `diagnosis:…`), or a cause given by hand (`manual` by default) */
                                cause: string;
                                /** @description the alert behind it; null for an order opened by hand */
                                alertId: string | null;
                                /** @description the alert that raised the order (after a named fault takes over an anomaly order, the fault's alert), as it stands now; null for an order opened by hand */
                                alert: {
                                    /** @description alert id (alertId of the order) */
                                    id: string;
                                    /** @description the sensor whose window raised it */
                                    sensorId: string;
                                    /** @description what raised it: an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:…`) */
                                    cause: string;
                                    /**
                                     * @description current severity
                                     * @enum {string}
                                     */
                                    severity: "warning" | "critical";
                                    /**
                                     * @description resolved once the sensor recovered or someone resolved it
                                     * @enum {string}
                                     */
                                    status: "active" | "resolved";
                                    /** @description health score when raised or last escalated, 0 (failed) to 100 (healthy) */
                                    health: number;
                                    /** @description anomaly score when raised or last escalated (dimensionless; higher is more anomalous) */
                                    score: number;
                                    /** @description what the alert says, for people */
                                    message: string;
                                    /** @description when it was raised, epoch ms */
                                    raisedAt: number;
                                } | null;
                                title: string;
                                /** @enum {string} */
                                priority: "low" | "medium" | "high" | "urgent";
                                /** @enum {string} */
                                status: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @description when it was opened, epoch ms */
                                createdAt: number;
                                /** @description last change, epoch ms */
                                updatedAt: number;
                                /** @description who it is assigned to; null when nobody is */
                                assignee: string | null;
                                /** @description counts its changes; its ETag, for If-Match */
                                version: number;
                                /** @description what closing found (a named fault, `other:<text>` or `no-fault-found`); null until done */
                                confirmedCause: string | null;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Open a work order by hand, about an asset or one of its sensors
         * @description Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assetId: string;
                        sensorId?: string;
                        title: string;
                        /** @enum {string} */
                        priority: "low" | "medium" | "high" | "urgent";
                        cause?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description work order id */
                            id: string;
                            /** @description the asset to work on */
                            assetId: string;
                            /** @description the asset's site, as the asset is placed now */
                            siteId: string;
                            /** @description the asset's line, as the asset is placed now */
                            lineId: string;
                            /** @description the sensor concerned; null for an order about the whole asset */
                            sensorId: string | null;
                            /** @description what it was raised for: an alert cause (`vibration-anomaly`, `diagnosis:…`), or a cause given by hand (`manual` by default) */
                            cause: string;
                            /** @description the alert behind it; null for an order opened by hand */
                            alertId: string | null;
                            /** @description the alert that raised the order (after a named fault takes over an anomaly order, the fault's alert), as it stands now; null for an order opened by hand */
                            alert: {
                                /** @description alert id (alertId of the order) */
                                id: string;
                                /** @description the sensor whose window raised it */
                                sensorId: string;
                                /** @description what raised it: an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:…`) */
                                cause: string;
                                /**
                                 * @description current severity
                                 * @enum {string}
                                 */
                                severity: "warning" | "critical";
                                /**
                                 * @description resolved once the sensor recovered or someone resolved it
                                 * @enum {string}
                                 */
                                status: "active" | "resolved";
                                /** @description health score when raised or last escalated, 0 (failed) to 100 (healthy) */
                                health: number;
                                /** @description anomaly score when raised or last escalated (dimensionless; higher is more anomalous) */
                                score: number;
                                /** @description what the alert says, for people */
                                message: string;
                                /** @description when it was raised, epoch ms */
                                raisedAt: number;
                            } | null;
                            title: string;
                            /** @enum {string} */
                            priority: "low" | "medium" | "high" | "urgent";
                            /** @enum {string} */
                            status: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                            /** @description when it was opened, epoch ms */
                            createdAt: number;
                            /** @description last change, epoch ms */
                            updatedAt: number;
                            /** @description who it is assigned to; null when nobody is */
                            assignee: string | null;
                            /** @description counts its changes; its ETag, for If-Match */
                            version: number;
                            /** @description what closing found (a named fault, `other:<text>` or `no-fault-found`); null until done */
                            confirmedCause: string | null;
                            /** @description its history, oldest step first */
                            events: {
                                /** @description step number, 1 for the opening */
                                seq: number;
                                /** @enum {string} */
                                from: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @enum {string} */
                                to: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @description assignee after the step */
                                assignee: string | null;
                                /** @description who made the step: the holder of the key that made it */
                                actor: string;
                                /** @description what the actor wrote */
                                note: string | null;
                                /** @description when, epoch ms */
                                at: number;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An asset's features over a time range (default: the last hour), per window or rolled up
         * @description `to` defaults to now and `from` to an hour before `to`; `from` must be before `to` (422 otherwise). Windows (and buckets) are those starting in [from, to), oldest first then by sensor. A retired one answers 404 saying when it was retired, unless asked with `retired=true`.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only this sensor */
                    sensor?: string;
                    /** @description ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                    limit?: number;
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                    /** @description window: each stored window; 1m, 1h, 1d: count-weighted roll-ups */
                    resolution?: "window" | "1m" | "1h" | "1d";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description start of the range (inclusive)
                             */
                            from: string;
                            /**
                             * Format: date-time
                             * @description end of the range (exclusive)
                             */
                            to: string;
                            /** @enum {string} */
                            resolution: "window" | "1m" | "1h" | "1d";
                            /** @description windows (resolution window) or roll-up buckets (1m, 1h, 1d) */
                            items: ({
                                assetId: string;
                                sensorId: string;
                                /** @description start of the window (inclusive), epoch ms */
                                windowStart: number;
                                /** @description end of the window (exclusive), epoch ms */
                                windowEnd: number;
                                /** @description samples in the window */
                                count: number;
                                /** @description arithmetic mean */
                                mean: number;
                                /** @description smallest sample */
                                min: number;
                                /** @description largest sample */
                                max: number;
                                /** @description population standard deviation; null when beyond the double range */
                                std: number | null;
                                /** @description root mean square */
                                rms: number;
                                /** @description max − min; null when beyond the double range (max near +1.8e308, min near −1.8e308) */
                                peakToPeak: number | null;
                                /** @description peak / RMS (dimensionless); null for a flat signal */
                                crestFactor: number | null;
                                /** @description third standardised moment; null for a flat signal */
                                skewness: number | null;
                                /** @description Pearson's kurtosis: 3 for a normal distribution; null for a flat signal */
                                kurtosis: number | null;
                                /** @description frequency of the strongest spectral line, Hz; sample blocks only */
                                dominantHz: number | null;
                                /** @description spectral power (the sensor unit squared) in each band between the pipeline's band edges (Hz); sample blocks only */
                                bandEnergies: (number | null)[] | null;
                                /** @description anomaly score against the sensor baseline (dimensionless); null while learning */
                                anomalyScore: number | null;
                                /** @description health 0 (failed) to 100 (healthy); null while learning */
                                health: number | null;
                                /** @description r.m.s. velocity, mm/s (ISO 20816-3, 10–1000 Hz); vibration sensors with a machine model */
                                velocityRms?: number | null;
                                /**
                                 * @description ISO 20816-3 zone of velocityRms for the machine class
                                 * @enum {string|null}
                                 */
                                severityZone?: "A" | "B" | "C" | "D" | null;
                                /** @description vibration sensors with a machine model: running speed, envelope levels and named faults of the window; null otherwise */
                                diagnostics?: {
                                    /** @description sample blocks diagnosed */
                                    blocks: number;
                                    /** @description blocks that could not be diagnosed */
                                    skipped?: {
                                        /** @description blocks concerned */
                                        blocks: number;
                                        /** @description the first reason */
                                        reason: string;
                                    };
                                    /** @description blocks diagnosed without an r.m.s. velocity */
                                    velocitySkipped?: {
                                        /** @description blocks concerned */
                                        blocks: number;
                                        /** @description the first reason */
                                        reason: string;
                                    };
                                    /** @description running speed used (mean over the blocks) and where it came from */
                                    speed: {
                                        /** @description `fixed`, `sensor` or `estimated` */
                                        source: string;
                                        /** @description shaft speed, Hz; null when none could be had */
                                        hz: number | null;
                                        /** @description shaft speed, rpm */
                                        rpm: number | null;
                                        /** @description why there is no speed */
                                        reason?: string;
                                    };
                                    /** @description envelope band of the block with the strongest defect level, Hz */
                                    band: {
                                        lowHz: number;
                                        highHz: number;
                                    } | null;
                                    /** @description each bearing defect's strongest envelope level over the window */
                                    envelope: {
                                        /** @description bearing label, e.g. "6205 (drive end)" */
                                        bearing: string;
                                        /** @enum {string} */
                                        defect: "bpfo" | "bpfi" | "rollingElement" | "ftf";
                                        /** @description defect frequency at the speed used, Hz */
                                        expectedHz: number;
                                        /** @description where the strongest peak was found, Hz */
                                        foundHz: number;
                                        /** @description level above the envelope spectrum's local floor, dB */
                                        dbAboveFloor: number;
                                    }[];
                                    /** @description faults named in the window */
                                    diagnoses: {
                                        /** @description e.g. `bearing-outer-race`, `unbalance` */
                                        fault: string;
                                        bearing?: {
                                            designation: string;
                                            location: string | null;
                                        };
                                        /** @description highest confidence, 0–1 */
                                        confidence: number;
                                        /** @description blocks that named it */
                                        blocks: number;
                                        /** @description the strongest block's evidence: named levels (dB, ratios, Hz) */
                                        evidence: {
                                            [key: string]: number;
                                        };
                                        message: string;
                                    }[];
                                    /** @description rules the blocks could not evaluate, with the first reason */
                                    declined?: {
                                        rule: string;
                                        bearing?: string;
                                        reason: string;
                                        /** @description blocks that declined it */
                                        blocks: number;
                                    }[];
                                } | null;
                            } | {
                                assetId: string;
                                sensorId: string;
                                /** @description start of the bucket, epoch ms */
                                bucket: number;
                                /** @description windows rolled up */
                                windows: number;
                                /** @description samples rolled up */
                                count: number;
                                /** @description count-weighted mean */
                                mean: number | null;
                                /** @description smallest sample */
                                min: number | null;
                                /** @description largest sample */
                                max: number | null;
                                /** @description √(Σ count·rms² / Σ count) over the windows */
                                rms: number | null;
                                /** @description largest anomaly score */
                                maxAnomalyScore: number | null;
                                /** @description lowest health, 0–100 */
                                minHealth: number | null;
                                /** @description r.m.s. velocity in mm/s (ISO 20816-3, 10–1000 Hz), √(Σ count·v² / Σ count) over the windows with a velocity v; null for sensors without one */
                                velocityRms: number | null;
                                /** @description largest window r.m.s. velocity, mm/s; null for sensors without one */
                                maxVelocityRms: number | null;
                                /**
                                 * @description worst ISO 20816-3 zone of the windows (A best, D worst); null for sensors without one
                                 * @enum {string|null}
                                 */
                                maxSeverityZone: "A" | "B" | "C" | "D" | null;
                            })[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every series’ windows in a time range of at most one hour, oldest first
         * @description Windows whose start is in [from, to), ordered by start, asset and sensor. The range must be non-empty and at most one hour: `from` before `to` (else 422 naming querystring.from), `to` − `from` ≤ one hour (else 422 naming querystring.to). A range holding more than `limit` items is cut after the oldest `limit`: read on from the last item returned.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query: {
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to: string;
                    /** @description at most this many items, the oldest */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The windows, oldest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "assetId": "pump-1",
                         *           "sensorId": "pump-1.temp",
                         *           "windowStart": 1769860800000,
                         *           "windowEnd": 1769860810000,
                         *           "count": 10,
                         *           "mean": 41.2,
                         *           "min": 40.9,
                         *           "max": 41.6,
                         *           "std": 0.2,
                         *           "rms": 41.2,
                         *           "peakToPeak": 0.7,
                         *           "crestFactor": 1.01,
                         *           "skewness": 0.1,
                         *           "kurtosis": 2.4,
                         *           "dominantHz": null,
                         *           "bandEnergies": null,
                         *           "anomalyScore": 0.3,
                         *           "health": 97.5,
                         *           "velocityRms": null,
                         *           "severityZone": null,
                         *           "diagnostics": null
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            items: {
                                assetId: string;
                                sensorId: string;
                                /** @description start of the window (inclusive), epoch ms */
                                windowStart: number;
                                /** @description end of the window (exclusive), epoch ms */
                                windowEnd: number;
                                /** @description samples in the window */
                                count: number;
                                /** @description arithmetic mean */
                                mean: number;
                                /** @description smallest sample */
                                min: number;
                                /** @description largest sample */
                                max: number;
                                /** @description population standard deviation; null when beyond the double range */
                                std: number | null;
                                /** @description root mean square */
                                rms: number;
                                /** @description max − min; null when beyond the double range (max near +1.8e308, min near −1.8e308) */
                                peakToPeak: number | null;
                                /** @description peak / RMS (dimensionless); null for a flat signal */
                                crestFactor: number | null;
                                /** @description third standardised moment; null for a flat signal */
                                skewness: number | null;
                                /** @description Pearson's kurtosis: 3 for a normal distribution; null for a flat signal */
                                kurtosis: number | null;
                                /** @description frequency of the strongest spectral line, Hz; sample blocks only */
                                dominantHz: number | null;
                                /** @description spectral power (the sensor unit squared) in each band between the pipeline's band edges (Hz); sample blocks only */
                                bandEnergies: (number | null)[] | null;
                                /** @description anomaly score against the sensor baseline (dimensionless); null while learning */
                                anomalyScore: number | null;
                                /** @description health 0 (failed) to 100 (healthy); null while learning */
                                health: number | null;
                                /** @description r.m.s. velocity, mm/s (ISO 20816-3, 10–1000 Hz); vibration sensors with a machine model */
                                velocityRms?: number | null;
                                /**
                                 * @description ISO 20816-3 zone of velocityRms for the machine class
                                 * @enum {string|null}
                                 */
                                severityZone?: "A" | "B" | "C" | "D" | null;
                                /** @description vibration sensors with a machine model: running speed, envelope levels and named faults of the window; null otherwise */
                                diagnostics?: {
                                    /** @description sample blocks diagnosed */
                                    blocks: number;
                                    /** @description blocks that could not be diagnosed */
                                    skipped?: {
                                        /** @description blocks concerned */
                                        blocks: number;
                                        /** @description the first reason */
                                        reason: string;
                                    };
                                    /** @description blocks diagnosed without an r.m.s. velocity */
                                    velocitySkipped?: {
                                        /** @description blocks concerned */
                                        blocks: number;
                                        /** @description the first reason */
                                        reason: string;
                                    };
                                    /** @description running speed used (mean over the blocks) and where it came from */
                                    speed: {
                                        /** @description `fixed`, `sensor` or `estimated` */
                                        source: string;
                                        /** @description shaft speed, Hz; null when none could be had */
                                        hz: number | null;
                                        /** @description shaft speed, rpm */
                                        rpm: number | null;
                                        /** @description why there is no speed */
                                        reason?: string;
                                    };
                                    /** @description envelope band of the block with the strongest defect level, Hz */
                                    band: {
                                        lowHz: number;
                                        highHz: number;
                                    } | null;
                                    /** @description each bearing defect's strongest envelope level over the window */
                                    envelope: {
                                        /** @description bearing label, e.g. "6205 (drive end)" */
                                        bearing: string;
                                        /** @enum {string} */
                                        defect: "bpfo" | "bpfi" | "rollingElement" | "ftf";
                                        /** @description defect frequency at the speed used, Hz */
                                        expectedHz: number;
                                        /** @description where the strongest peak was found, Hz */
                                        foundHz: number;
                                        /** @description level above the envelope spectrum's local floor, dB */
                                        dbAboveFloor: number;
                                    }[];
                                    /** @description faults named in the window */
                                    diagnoses: {
                                        /** @description e.g. `bearing-outer-race`, `unbalance` */
                                        fault: string;
                                        bearing?: {
                                            designation: string;
                                            location: string | null;
                                        };
                                        /** @description highest confidence, 0–1 */
                                        confidence: number;
                                        /** @description blocks that named it */
                                        blocks: number;
                                        /** @description the strongest block's evidence: named levels (dB, ratios, Hz) */
                                        evidence: {
                                            [key: string]: number;
                                        };
                                        message: string;
                                    }[];
                                    /** @description rules the blocks could not evaluate, with the first reason */
                                    declined?: {
                                        rule: string;
                                        bearing?: string;
                                        reason: string;
                                        /** @description blocks that declined it */
                                        blocks: number;
                                    }[];
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export/readings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every sensor’s raw scalar readings in a time range of at most ten minutes, oldest first
         * @description Readings whose time is in [from, to), ordered by time and sensor. The range must be non-empty and at most ten minutes: `from` before `to` (else 422 naming querystring.from), `to` − `from` ≤ ten minutes (else 422 naming querystring.to). A range holding more than `limit` items is cut after the oldest `limit`: read on from the last item returned.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query: {
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to: string;
                    /** @description at most this many items, the oldest */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The readings, oldest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "sensorId": "pump-1.temp",
                         *           "ts": 1769860800000,
                         *           "value": 41.2
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            items: {
                                /** @description the sensor */
                                sensorId: string;
                                /** @description time of the reading, epoch ms (fractions: the stored microseconds) */
                                ts: number;
                                /** @description the reading, in the sensor's unit */
                                value: number;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/work-orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A work order with the history of its transitions; ETag is its version
         * @description With its asset's site and line and the evidence of the alert that raised it (null for an order opened by hand).
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description work order id */
                            id: string;
                            /** @description the asset to work on */
                            assetId: string;
                            /** @description the asset's site, as the asset is placed now */
                            siteId: string;
                            /** @description the asset's line, as the asset is placed now */
                            lineId: string;
                            /** @description the sensor concerned; null for an order about the whole asset */
                            sensorId: string | null;
                            /** @description what it was raised for: an alert cause (`vibration-anomaly`, `diagnosis:…`), or a cause given by hand (`manual` by default) */
                            cause: string;
                            /** @description the alert behind it; null for an order opened by hand */
                            alertId: string | null;
                            /** @description the alert that raised the order (after a named fault takes over an anomaly order, the fault's alert), as it stands now; null for an order opened by hand */
                            alert: {
                                /** @description alert id (alertId of the order) */
                                id: string;
                                /** @description the sensor whose window raised it */
                                sensorId: string;
                                /** @description what raised it: an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:…`) */
                                cause: string;
                                /**
                                 * @description current severity
                                 * @enum {string}
                                 */
                                severity: "warning" | "critical";
                                /**
                                 * @description resolved once the sensor recovered or someone resolved it
                                 * @enum {string}
                                 */
                                status: "active" | "resolved";
                                /** @description health score when raised or last escalated, 0 (failed) to 100 (healthy) */
                                health: number;
                                /** @description anomaly score when raised or last escalated (dimensionless; higher is more anomalous) */
                                score: number;
                                /** @description what the alert says, for people */
                                message: string;
                                /** @description when it was raised, epoch ms */
                                raisedAt: number;
                            } | null;
                            title: string;
                            /** @enum {string} */
                            priority: "low" | "medium" | "high" | "urgent";
                            /** @enum {string} */
                            status: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                            /** @description when it was opened, epoch ms */
                            createdAt: number;
                            /** @description last change, epoch ms */
                            updatedAt: number;
                            /** @description who it is assigned to; null when nobody is */
                            assignee: string | null;
                            /** @description counts its changes; its ETag, for If-Match */
                            version: number;
                            /** @description what closing found (a named fault, `other:<text>` or `no-fault-found`); null until done */
                            confirmedCause: string | null;
                            /** @description its history, oldest step first */
                            events: {
                                /** @description step number, 1 for the opening */
                                seq: number;
                                /** @enum {string} */
                                from: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @enum {string} */
                                to: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @description assignee after the step */
                                assignee: string | null;
                                /** @description who made the step: the holder of the key that made it */
                                actor: string;
                                /** @description what the actor wrote */
                                note: string | null;
                                /** @description when, epoch ms */
                                at: number;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/work-orders/{id}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a work order along its lifecycle (409 when the lifecycle forbids it)
         * @description open → assigned (needs assignee) → in_progress → done; cancelled from any unfinished state; assigned → open and in_progress → assigned hand an order back. With If-Match, only from that version (412 otherwise). Closing (to done) states what was found in confirmedCause, which the order then carries; 422 without it.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        to: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                        assignee?: string;
                        note?: string;
                        /** @description What closing found; only with to = done, and required then: outer-race, inner-race, rolling-element, cage, imbalance, misalignment, looseness, no-fault-found, or other:<text> (1–100 printable characters). Windows before the order are labelled with it for model training (docs/maintenance-labels.md). */
                        confirmedCause?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description work order id */
                            id: string;
                            /** @description the asset to work on */
                            assetId: string;
                            /** @description the asset's site, as the asset is placed now */
                            siteId: string;
                            /** @description the asset's line, as the asset is placed now */
                            lineId: string;
                            /** @description the sensor concerned; null for an order about the whole asset */
                            sensorId: string | null;
                            /** @description what it was raised for: an alert cause (`vibration-anomaly`, `diagnosis:…`), or a cause given by hand (`manual` by default) */
                            cause: string;
                            /** @description the alert behind it; null for an order opened by hand */
                            alertId: string | null;
                            /** @description the alert that raised the order (after a named fault takes over an anomaly order, the fault's alert), as it stands now; null for an order opened by hand */
                            alert: {
                                /** @description alert id (alertId of the order) */
                                id: string;
                                /** @description the sensor whose window raised it */
                                sensorId: string;
                                /** @description what raised it: an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:…`) */
                                cause: string;
                                /**
                                 * @description current severity
                                 * @enum {string}
                                 */
                                severity: "warning" | "critical";
                                /**
                                 * @description resolved once the sensor recovered or someone resolved it
                                 * @enum {string}
                                 */
                                status: "active" | "resolved";
                                /** @description health score when raised or last escalated, 0 (failed) to 100 (healthy) */
                                health: number;
                                /** @description anomaly score when raised or last escalated (dimensionless; higher is more anomalous) */
                                score: number;
                                /** @description what the alert says, for people */
                                message: string;
                                /** @description when it was raised, epoch ms */
                                raisedAt: number;
                            } | null;
                            title: string;
                            /** @enum {string} */
                            priority: "low" | "medium" | "high" | "urgent";
                            /** @enum {string} */
                            status: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                            /** @description when it was opened, epoch ms */
                            createdAt: number;
                            /** @description last change, epoch ms */
                            updatedAt: number;
                            /** @description who it is assigned to; null when nobody is */
                            assignee: string | null;
                            /** @description counts its changes; its ETag, for If-Match */
                            version: number;
                            /** @description what closing found (a named fault, `other:<text>` or `no-fault-found`); null until done */
                            confirmedCause: string | null;
                            /** @description its history, oldest step first */
                            events: {
                                /** @description step number, 1 for the opening */
                                seq: number;
                                /** @enum {string} */
                                from: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @enum {string} */
                                to: "open" | "assigned" | "in_progress" | "done" | "cancelled";
                                /** @description assignee after the step */
                                assignee: string | null;
                                /** @description who made the step: the holder of the key that made it */
                                actor: string;
                                /** @description what the actor wrote */
                                note: string | null;
                                /** @description when, epoch ms */
                                at: number;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an active alert: someone is on it
         * @description 409 when it is resolved already or was acknowledged before.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The alert as stored now. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description alert id */
                            id: string;
                            assetId: string;
                            /** @description the sensor whose window raised it */
                            sensorId: string;
                            /** @description an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:<fault>`) */
                            cause: string;
                            /** @enum {string} */
                            severity: "warning" | "critical";
                            /** @enum {string} */
                            status: "active" | "resolved";
                            /** @description health when raised or last escalated, 0 (failed) to 100 (healthy): the evidence */
                            health: number;
                            /** @description anomaly score when raised or last escalated (dimensionless) */
                            score: number;
                            /** @description what it says, for people */
                            message: string;
                            /** @description when it was raised, epoch ms */
                            raisedAt: number;
                            /** @description when it was resolved; null while active, epoch ms */
                            resolvedAt: number | null;
                            /** @description when someone acknowledged it; null: nobody yet, epoch ms */
                            acknowledgedAt: number | null;
                            /** @description who acknowledged it */
                            acknowledgedBy: string | null;
                            /** @description who resolved it; null: nobody, or the processor on recovery */
                            resolvedBy: string | null;
                            /** @description the learned model whose score raised it (MLflow name and version); null: the baseline scorer */
                            model?: {
                                name: string;
                                version: string;
                            } | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an active alert by hand
         * @description 409 when it is resolved already.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The alert as stored now. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description alert id */
                            id: string;
                            assetId: string;
                            /** @description the sensor whose window raised it */
                            sensorId: string;
                            /** @description an anomaly (`vibration-anomaly`, …) or a named fault (`diagnosis:<fault>`) */
                            cause: string;
                            /** @enum {string} */
                            severity: "warning" | "critical";
                            /** @enum {string} */
                            status: "active" | "resolved";
                            /** @description health when raised or last escalated, 0 (failed) to 100 (healthy): the evidence */
                            health: number;
                            /** @description anomaly score when raised or last escalated (dimensionless) */
                            score: number;
                            /** @description what it says, for people */
                            message: string;
                            /** @description when it was raised, epoch ms */
                            raisedAt: number;
                            /** @description when it was resolved; null while active, epoch ms */
                            resolvedAt: number | null;
                            /** @description when someone acknowledged it; null: nobody yet, epoch ms */
                            acknowledgedAt: number | null;
                            /** @description who acknowledged it */
                            acknowledgedBy: string | null;
                            /** @description who resolved it; null: nobody, or the processor on recovery */
                            resolvedBy: string | null;
                            /** @description the learned model whose score raised it (MLflow name and version); null: the baseline scorer */
                            model?: {
                                name: string;
                                version: string;
                            } | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the credentials belong to, and their role
         * @description Every valid credential may ask, device tokens too.
         *
         *     Any valid key.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The principal the credentials act as. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "actor": "line lead (3f9a1c0b7d2e)",
                         *       "role": "technician",
                         *       "siteId": null
                         *     }
                         */
                        "application/json": {
                            /** @description who its writes are recorded as: `<key name> (<key id>)`, or `api-token` for the configured token */
                            actor: string;
                            /**
                             * @description viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site
                             * @enum {string}
                             */
                            role: "viewer" | "technician" | "admin" | "device";
                            /** @description the site of a device token; null otherwise */
                            siteId: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API keys, without their secrets
         * @description Needs a key with role admin or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description `true`: revoked keys too; `false` (the default): valid keys only */
                    revoked?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The keys, oldest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "id": "3f9a1c0b7d2e",
                         *           "name": "gateway north",
                         *           "role": "device",
                         *           "siteId": "north",
                         *           "createdAt": "2026-01-31T12:00:00.000Z",
                         *           "createdBy": "api-token",
                         *           "lastUsedAt": null,
                         *           "revokedAt": null
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            items: {
                                /** @description the key id: 12 hex digits, also in its token */
                                id: string;
                                /** @description the holder's name, recorded with the key id as the actor of its writes */
                                name: string;
                                /**
                                 * @description viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site
                                 * @enum {string}
                                 */
                                role: "viewer" | "technician" | "admin" | "device";
                                /** @description the site a device token ingests for; null for other roles */
                                siteId: string | null;
                                /**
                                 * Format: date-time
                                 * @description when it was created, ISO 8601 in UTC
                                 */
                                createdAt: string;
                                /** @description who created it */
                                createdBy: string;
                                /**
                                 * Format: date-time
                                 * @description when it last authenticated a request, ISO 8601 in UTC (recorded at most once per cache period); null if never
                                 */
                                lastUsedAt: string | null;
                                /**
                                 * Format: date-time
                                 * @description when it was revoked, ISO 8601 in UTC; null while it is valid
                                 */
                                revokedAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API key or a site-scoped device token; its secret is shown this once
         * @description A device token needs `site` and every other role refuses it: `role` device without `site`, or another role with `site`, is a 422 naming body.site. A `site` that does not exist is a 404 naming body.site.
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the holder's name */
                        name: string;
                        /**
                         * @description viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site
                         * @enum {string}
                         */
                        role: "viewer" | "technician" | "admin" | "device";
                        /** @description device tokens only: the site whose sensors it may ingest for */
                        site?: string;
                    };
                };
            };
            responses: {
                /** @description Created; Location is the key. The token is shown this once: only a digest is kept. */
                201: {
                    headers: {
                        /** @description /v1/keys/{id} */
                        location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "key": {
                         *         "id": "3f9a1c0b7d2e",
                         *         "name": "gateway north",
                         *         "role": "device",
                         *         "siteId": "north",
                         *         "createdAt": "2026-01-31T12:00:00.000Z",
                         *         "createdBy": "api-token",
                         *         "lastUsedAt": null,
                         *         "revokedAt": null
                         *       },
                         *       "token": "mnt_3f9a1c0b7d2e_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                         *     }
                         */
                        "application/json": {
                            key: {
                                /** @description the key id: 12 hex digits, also in its token */
                                id: string;
                                /** @description the holder's name, recorded with the key id as the actor of its writes */
                                name: string;
                                /**
                                 * @description viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site
                                 * @enum {string}
                                 */
                                role: "viewer" | "technician" | "admin" | "device";
                                /** @description the site a device token ingests for; null for other roles */
                                siteId: string | null;
                                /**
                                 * Format: date-time
                                 * @description when it was created, ISO 8601 in UTC
                                 */
                                createdAt: string;
                                /** @description who created it */
                                createdBy: string;
                                /**
                                 * Format: date-time
                                 * @description when it last authenticated a request, ISO 8601 in UTC (recorded at most once per cache period); null if never
                                 */
                                lastUsedAt: string | null;
                                /**
                                 * Format: date-time
                                 * @description when it was revoked, ISO 8601 in UTC; null while it is valid
                                 */
                                revokedAt: string | null;
                            };
                            /** @description the credential, `Authorization: Bearer <token>`: its key id and a 256-bit secret */
                            token: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Every process refuses it within auth.keyCacheSeconds (at once in this one).
         *
         *     Needs a key with role admin or above (viewer < technician < admin).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log: every authenticated write, newest first (pass `next` back as `cursor`)
         * @description Needs a key with role admin or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only the writes of this actor, exactly as entries name it */
                    actor?: string;
                    limit?: number;
                    /** @description the `next` of the previous page: entries older than it */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of entries, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "id": "42",
                         *           "at": "2026-01-31T12:00:00.000Z",
                         *           "actor": "line lead (3f9a1c0b7d2e)",
                         *           "role": "technician",
                         *           "method": "POST",
                         *           "route": "/v1/downtime",
                         *           "path": "/v1/downtime",
                         *           "status": 201,
                         *           "requestId": "req-1"
                         *         }
                         *       ],
                         *       "next": "42"
                         *     }
                         */
                        "application/json": {
                            items: {
                                /** @description the entry id, increasing: decimal digits */
                                id: string;
                                /**
                                 * Format: date-time
                                 * @description when the answer was sent, ISO 8601 in UTC
                                 */
                                at: string;
                                /** @description who: the key holder and key id, or the configured token */
                                actor: string;
                                /**
                                 * @description viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site
                                 * @enum {string}
                                 */
                                role: "viewer" | "technician" | "admin" | "device";
                                /** @description the HTTP method */
                                method: string;
                                /** @description the route template, e.g. `/v1/alerts/:id/acknowledge` */
                                route: string;
                                /** @description the path requested (at most 500 characters), without the query */
                                path: string;
                                /** @description the HTTP status answered */
                                status: number;
                                /** @description the request's id, as the server logs it */
                                requestId: string;
                            }[];
                            /** @description cursor of the next page; null on the last */
                            next: string | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/downtime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Downtime events overlapping a range (default: the last 30 days), newest first
         * @description Events that started before `to` and had not ended by `from`. `to` defaults to now and `from` to 30 days before `to`. `from` must be before `to` and the range at most 3660 days long (`to` − `from` ≤ 3660 × 86 400 000 ms), else 422 naming querystring.from.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only this asset (404 when it does not exist) */
                    asset?: string;
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                    /** @description at most this many items, the newest */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The events, newest start first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "id": "6c1f4f0e-5b7a-4d0e-9a51-2f4f3c1d9b10",
                         *           "assetId": "press-1",
                         *           "kind": "unplanned",
                         *           "reason": "hydraulic leak",
                         *           "start": "2026-01-31T08:00:00.000Z",
                         *           "end": "2026-01-31T09:30:00.000Z",
                         *           "workOrderId": null,
                         *           "createdBy": "line lead (3f9a1c0b7d2e)",
                         *           "version": 1
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            items: {
                                /**
                                 * Format: uuid
                                 * @description the event id
                                 */
                                id: string;
                                /** @description the asset that was down */
                                assetId: string;
                                /**
                                 * @description unplanned: a failure (MTBF, MTTR); planned: maintenance, outside the planned busy time
                                 * @enum {string}
                                 */
                                kind: "planned" | "unplanned";
                                /** @description what happened */
                                reason: string;
                                /**
                                 * Format: date-time
                                 * @description when the asset stopped, ISO 8601 in UTC
                                 */
                                start: string;
                                /**
                                 * Format: date-time
                                 * @description when it ran again, ISO 8601 in UTC; null while it is still down
                                 */
                                end: string | null;
                                /** @description the work order of the repair; null when none was named */
                                workOrderId: string | null;
                                /** @description who recorded it */
                                createdBy: string;
                                /** @description 1 when recorded, one more at each change; the ETag */
                                version: number;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Record a downtime event (end absent or null: the asset is still down)
         * @description `end`, when given, must be after `start` (else 422 naming body.end). `workOrderId` must be a work order of `assetId` (else 422 naming body.workOrderId). An `assetId` or `workOrderId` that does not exist is a 404 naming it.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the asset that stopped */
                        assetId: string;
                        /**
                         * @description unplanned: a failure
                         * @enum {string}
                         */
                        kind: "planned" | "unplanned";
                        /** @description what happened, for people */
                        reason: string;
                        /** @description when it stopped: epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        start: number | string;
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099; null while it goes on */
                        end?: number | string | null;
                        /** @description the work order of the repair, on the same asset */
                        workOrderId?: string;
                    };
                };
            };
            responses: {
                /** @description Recorded; Location is the event, ETag its version. */
                201: {
                    headers: {
                        /** @description /v1/downtime/{id} */
                        location?: string;
                        /** @description the version, `"1"`: send it as If-Match to change it */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "6c1f4f0e-5b7a-4d0e-9a51-2f4f3c1d9b10",
                         *       "assetId": "press-1",
                         *       "kind": "unplanned",
                         *       "reason": "hydraulic leak",
                         *       "start": "2026-01-31T08:00:00.000Z",
                         *       "end": "2026-01-31T09:30:00.000Z",
                         *       "workOrderId": null,
                         *       "createdBy": "line lead (3f9a1c0b7d2e)",
                         *       "version": 1
                         *     }
                         */
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description the event id
                             */
                            id: string;
                            /** @description the asset that was down */
                            assetId: string;
                            /**
                             * @description unplanned: a failure (MTBF, MTTR); planned: maintenance, outside the planned busy time
                             * @enum {string}
                             */
                            kind: "planned" | "unplanned";
                            /** @description what happened */
                            reason: string;
                            /**
                             * Format: date-time
                             * @description when the asset stopped, ISO 8601 in UTC
                             */
                            start: string;
                            /**
                             * Format: date-time
                             * @description when it ran again, ISO 8601 in UTC; null while it is still down
                             */
                            end: string | null;
                            /** @description the work order of the repair; null when none was named */
                            workOrderId: string | null;
                            /** @description who recorded it */
                            createdBy: string;
                            /** @description 1 when recorded, one more at each change; the ETag */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/downtime/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One downtime event; ETag is its version
         * @description Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The event. */
                200: {
                    headers: {
                        /** @description the version, `"1"`: send it as If-Match to change it */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "6c1f4f0e-5b7a-4d0e-9a51-2f4f3c1d9b10",
                         *       "assetId": "press-1",
                         *       "kind": "unplanned",
                         *       "reason": "hydraulic leak",
                         *       "start": "2026-01-31T08:00:00.000Z",
                         *       "end": "2026-01-31T09:30:00.000Z",
                         *       "workOrderId": null,
                         *       "createdBy": "line lead (3f9a1c0b7d2e)",
                         *       "version": 1
                         *     }
                         */
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description the event id
                             */
                            id: string;
                            /** @description the asset that was down */
                            assetId: string;
                            /**
                             * @description unplanned: a failure (MTBF, MTTR); planned: maintenance, outside the planned busy time
                             * @enum {string}
                             */
                            kind: "planned" | "unplanned";
                            /** @description what happened */
                            reason: string;
                            /**
                             * Format: date-time
                             * @description when the asset stopped, ISO 8601 in UTC
                             */
                            start: string;
                            /**
                             * Format: date-time
                             * @description when it ran again, ISO 8601 in UTC; null while it is still down
                             */
                            end: string | null;
                            /** @description the work order of the repair; null when none was named */
                            workOrderId: string | null;
                            /** @description who recorded it */
                            createdBy: string;
                            /** @description 1 when recorded, one more at each change; the ETag */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * End a downtime event, or correct its end or reason (with If-Match, only from that version)
         * @description An `end` must be after the event's stored start, else 409 naming body.end and the start. With If-Match, only from that version (`"3"`, or `*` for any): an If-Match naming another version, or no version of this API, is a 412.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; any other value names no version, and the write gets 412 */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "end": "2026-01-31T09:30:00Z"
                     *     }
                     */
                    "application/json": {
                        /** @description epoch milliseconds or ISO 8601 with a zone, 2000–2099; null while it goes on */
                        end?: number | string | null;
                        /** @description what happened, for people */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Changed; ETag is the new version. */
                200: {
                    headers: {
                        /** @description the version, `"1"`: send it as If-Match to change it */
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "6c1f4f0e-5b7a-4d0e-9a51-2f4f3c1d9b10",
                         *       "assetId": "press-1",
                         *       "kind": "unplanned",
                         *       "reason": "hydraulic leak",
                         *       "start": "2026-01-31T08:00:00.000Z",
                         *       "end": "2026-01-31T09:30:00.000Z",
                         *       "workOrderId": null,
                         *       "createdBy": "line lead (3f9a1c0b7d2e)",
                         *       "version": 2
                         *     }
                         */
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description the event id
                             */
                            id: string;
                            /** @description the asset that was down */
                            assetId: string;
                            /**
                             * @description unplanned: a failure (MTBF, MTTR); planned: maintenance, outside the planned busy time
                             * @enum {string}
                             */
                            kind: "planned" | "unplanned";
                            /** @description what happened */
                            reason: string;
                            /**
                             * Format: date-time
                             * @description when the asset stopped, ISO 8601 in UTC
                             */
                            start: string;
                            /**
                             * Format: date-time
                             * @description when it ran again, ISO 8601 in UTC; null while it is still down
                             */
                            end: string | null;
                            /** @description the work order of the repair; null when none was named */
                            workOrderId: string | null;
                            /** @description who recorded it */
                            createdBy: string;
                            /** @description 1 when recorded, one more at each change; the ETag */
                            version: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description If-Match names a version that is no longer current: read it again. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/production": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Production counts in a range (default: the last day), newest first
         * @description Counts whose time is in [from, to). `to` defaults to now and `from` to one day before `to`. `from` must be before `to` and the range at most 3660 days long (`to` − `from` ≤ 3660 × 86 400 000 ms), else 422 naming querystring.from.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description only this asset (404 when it does not exist) */
                    asset?: string;
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                    /** @description at most this many items, the newest */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The counts, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "assetId": "press-1",
                         *           "ts": 1769860800000,
                         *           "produced": 1000,
                         *           "good": 950,
                         *           "recordedBy": "line lead (3f9a1c0b7d2e)"
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            items: {
                                assetId: string;
                                /** @description when counted, epoch ms (fractions: stored microseconds) */
                                ts: number;
                                /** @description items since the previous count */
                                produced: number;
                                /** @description of which good the first time */
                                good: number;
                                /** @description who recorded it last */
                                recordedBy: string;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Record production counts, all or none; a count resent for the same asset and time replaces the first
         * @description Repeats of the same asset and time within one batch keep the last (times equal once rounded to the stored microsecond); `recorded` is the number of counts stored, repeats counted once. In each count `good` must not exceed `produced` (else 422 naming body.<i>.good); an `assetId` that does not exist is a 404 naming body.<i>.assetId. The counts are checked in order and the first refusal answers.
         *
         *     Needs a key with role technician or above (viewer < technician < admin).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example [
                     *       {
                     *         "assetId": "press-1",
                     *         "ts": "2026-01-31T12:00:00Z",
                     *         "produced": 1000,
                     *         "good": 950
                     *       },
                     *       {
                     *         "assetId": "press-2",
                     *         "ts": 1769860800000,
                     *         "produced": 400,
                     *         "good": 398
                     *       }
                     *     ]
                     */
                    "application/json": {
                        assetId: string;
                        /** @description when counted: epoch milliseconds or ISO 8601 with a zone, 2000–2099 */
                        ts: number | string;
                        /** @description items since the previous count */
                        produced: number;
                        /** @description of which good the first time; at most produced */
                        good: number;
                    }[];
                };
            };
            responses: {
                /** @description Every count stored. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "recorded": 2
                         *     }
                         */
                        "application/json": {
                            /** @description counts stored; a repeat within the batch once */
                            recorded: number;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body is larger than the configured limit. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The body has a content type or encoding this operation does not take. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/kpis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * MTBF, MTTR and OEE (ISO 22400-2) of an asset, line or site over a range (default: the last 30 days)
         * @description Times in milliseconds; a ratio is null when its denominator is zero (see docs/kpis.md). Exactly one of `asset`, `line` and `site` must be given, else 422 naming querystring ("give exactly one of asset, line or site"); one that does not exist is a 404 naming it. `to` defaults to now and `from` to 30 days before `to`. `from` must be before `to` and the range at most 3660 days long (`to` − `from` ≤ 3660 × 86 400 000 ms), else 422 naming querystring.from.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description one asset */
                    asset?: string;
                    /** @description a line: the sum of its assets' times and counts */
                    line?: string;
                    /** @description a site: the sum of its assets' times and counts */
                    site?: string;
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The KPIs of the scope over [from, to). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "scope": "asset",
                         *       "id": "press-1",
                         *       "from": "2026-01-01T00:00:00.000Z",
                         *       "to": "2026-01-04T00:00:00.000Z",
                         *       "assets": 1,
                         *       "plannedBusyMs": 252000000,
                         *       "unplannedDowntimeMs": 14400000,
                         *       "actualProductionMs": 237600000,
                         *       "failures": 2,
                         *       "repairs": 2,
                         *       "repairMs": 14400000,
                         *       "openRepairs": 0,
                         *       "produced": 3100,
                         *       "good": 3010,
                         *       "idealRunMs": 93000000,
                         *       "mtbfMs": 118800000,
                         *       "mttrMs": 7200000,
                         *       "availability": 0.942857,
                         *       "effectiveness": 0.391414,
                         *       "quality": 0.970968,
                         *       "oee": 0.358333
                         *     }
                         */
                        "application/json": {
                            /**
                             * @description what was summed
                             * @enum {string}
                             */
                            scope: "asset" | "line" | "site";
                            /** @description its id */
                            id: string;
                            /**
                             * Format: date-time
                             * @description start of the range, ISO 8601 in UTC
                             */
                            from: string;
                            /**
                             * Format: date-time
                             * @description end of the range (exclusive), ISO 8601 in UTC
                             */
                            to: string;
                            /** @description assets summed, retired ones included */
                            assets: number;
                            /** @description PBT, planned busy time: the time in service in the range less planned downtime, ms */
                            plannedBusyMs: number;
                            /** @description unplanned downtime inside the range, overlapping events merged, ms */
                            unplannedDowntimeMs: number;
                            /** @description APT, actual production time: PBT less unplanned downtime, ms */
                            actualProductionMs: number;
                            /** @description unplanned downtime periods starting in the range */
                            failures: number;
                            /** @description unplanned downtime periods ending in the range */
                            repairs: number;
                            /** @description whole durations of those repairs, ms */
                            repairMs: number;
                            /** @description failures still open at the end of the range, or now when it ends later */
                            openRepairs: number;
                            /** @description items produced (production counts in the range) */
                            produced: number;
                            /** @description of which good the first time */
                            good: number;
                            /** @description ideal run time: the assets' ideal cycle time × items produced, ms */
                            idealRunMs: number;
                            /** @description MTBF = APT / failures, ms; null without a failure */
                            mtbfMs: number | null;
                            /** @description MTTR = repair time / repairs, ms; null without a repair */
                            mttrMs: number | null;
                            /** @description APT / PBT, a fraction; null when the denominator is 0 */
                            availability: number | null;
                            /** @description ideal run time / APT, a fraction; null when the denominator is 0 */
                            effectiveness: number | null;
                            /** @description good / produced, a fraction; null when the denominator is 0 */
                            quality: number | null;
                            /** @description OEE = availability × effectiveness × quality; null when any of them is */
                            oee: number | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/kpis/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The same KPIs per UTC day of a range (default: the last 30 days, at most 366)
         * @description One item per UTC day the range touches, the first and last clipped to it; today counts up to now and a later day has no planned time. Exactly one of `asset`, `line` and `site` must be given, else 422 naming querystring ("give exactly one of asset, line or site"); one that does not exist is a 404 naming it. `to` defaults to now and `from` to 30 days before `to`. `from` must be before `to` and the range at most 366 days long (`to` − `from` ≤ 366 × 86 400 000 ms), else 422 naming querystring.from.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description one asset */
                    asset?: string;
                    /** @description a line: the sum of its assets' times and counts */
                    line?: string;
                    /** @description a site: the sum of its assets' times and counts */
                    site?: string;
                    /** @description start of the range (inclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description end of the range (exclusive): ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The KPIs of each day, oldest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "scope": "line",
                         *       "id": "presses",
                         *       "items": [
                         *         {
                         *           "day": "2026-01-01",
                         *           "plannedBusyMs": 252000000,
                         *           "unplannedDowntimeMs": 14400000,
                         *           "actualProductionMs": 237600000,
                         *           "failures": 2,
                         *           "repairs": 2,
                         *           "repairMs": 14400000,
                         *           "openRepairs": 0,
                         *           "produced": 3100,
                         *           "good": 3010,
                         *           "idealRunMs": 93000000,
                         *           "mtbfMs": 118800000,
                         *           "mttrMs": 7200000,
                         *           "availability": 0.942857,
                         *           "effectiveness": 0.391414,
                         *           "quality": 0.970968,
                         *           "oee": 0.358333
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            /**
                             * @description what was summed
                             * @enum {string}
                             */
                            scope: "asset" | "line" | "site";
                            /** @description its id */
                            id: string;
                            items: {
                                /**
                                 * Format: date
                                 * @description the UTC day, YYYY-MM-DD
                                 */
                                day: string;
                                /** @description PBT, planned busy time: the time in service in the range less planned downtime, ms */
                                plannedBusyMs: number;
                                /** @description unplanned downtime inside the range, overlapping events merged, ms */
                                unplannedDowntimeMs: number;
                                /** @description APT, actual production time: PBT less unplanned downtime, ms */
                                actualProductionMs: number;
                                /** @description unplanned downtime periods starting in the range */
                                failures: number;
                                /** @description unplanned downtime periods ending in the range */
                                repairs: number;
                                /** @description whole durations of those repairs, ms */
                                repairMs: number;
                                /** @description failures still open at the end of the range, or now when it ends later */
                                openRepairs: number;
                                /** @description items produced (production counts in the range) */
                                produced: number;
                                /** @description of which good the first time */
                                good: number;
                                /** @description ideal run time: the assets' ideal cycle time × items produced, ms */
                                idealRunMs: number;
                                /** @description MTBF = APT / failures, ms; null without a failure */
                                mtbfMs: number | null;
                                /** @description MTTR = repair time / repairs, ms; null without a repair */
                                mttrMs: number | null;
                                /** @description APT / PBT, a fraction; null when the denominator is 0 */
                                availability: number | null;
                                /** @description ideal run time / APT, a fraction; null when the denominator is 0 */
                                effectiveness: number | null;
                                /** @description good / produced, a fraction; null when the denominator is 0 */
                                quality: number | null;
                                /** @description OEE = availability × effectiveness × quality; null when any of them is */
                                oee: number | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The health model of each asset type: its champion (name and version), or null for the baseline scorer
         * @description Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every asset type of the registry, by name, with its model. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "items": [
                         *         {
                         *           "assetType": "fan",
                         *           "model": null
                         *         },
                         *         {
                         *           "assetType": "pump",
                         *           "model": {
                         *             "name": "health-pump",
                         *             "version": "3"
                         *           }
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            /** @description one item per asset type (the `kind` of the assets in service), sorted by name */
                            items: {
                                /** @description an asset type: the `kind` of its assets */
                                assetType: string;
                                /** @description The champion model of the asset type (registered name and version): it scores the vibration windows that carry its features (sensors with a machine model); the baseline scorer scores the others, and every window when null */
                                model: {
                                    /** @description the registered model name in the ML tracking server */
                                    name: string;
                                    /** @description the registered model's version, as the tracking server numbers it */
                                    version: string;
                                } | null;
                            }[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sensors/{id}/signal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A sensor's raw signal: scalar readings, and the latest sample block (default: the last 10 minutes)
         * @description `to` defaults to now and `from` to ten minutes before `to`; `from` must be before `to` and the range may span at most a day (422 otherwise). A retired one answers 404 saying when it was retired, unless asked with `retired=true`.
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    from?: string;
                    /** @description ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    to?: string;
                    limit?: number;
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sensorId: string;
                            /** @description the last `limit` scalar readings in [from, to), oldest first; values in the sensor unit */
                            readings: {
                                /** @description epoch ms */
                                ts: number;
                                value: number;
                            }[];
                            /** @description the latest sample block in the range; null when there is none */
                            block: {
                                /** @description first sample, epoch ms */
                                ts: number;
                                /** @description sample rate, Hz */
                                rateHz: number;
                                /** @description samples, sensor unit */
                                values: number[];
                            } | null;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sensors/{id}/envelope": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Envelope spectrum of a vibration sensor's latest sample block (at or before `at`, within a day), with the bearings' defect frequencies as markers
         * @description `band` is the band demodulated and `band.chosenBy` who chose it (`kurtogram` or `configured`). A block the diagnosis cannot run on still gets its spectrum, without speed or markers, and `diagnosisSkipped` says why. 404: no such sensor, or no block in the day before `at`; 409: the sensor is not a vibration sensor, or its latest block cannot give an envelope spectrum (too short).
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01 */
                    at?: string;
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                    /** @description highest frequency of the spectrum, Hz */
                    maxHz?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sensorId: string;
                            /** @description first sample of the block, epoch ms */
                            ts: number;
                            /** @description sample rate of the block, Hz */
                            rateHz: number;
                            /** @description running speed used and its source; null without a machine model */
                            speed: {
                                /** @description `fixed`, `sensor` or `estimated` */
                                source: string;
                                /** @description shaft speed, Hz; null when none could be had */
                                hz: number | null;
                                /** @description shaft speed, rpm */
                                rpm: number | null;
                                /** @description why there is no speed */
                                reason?: string;
                            } | null;
                            /** @description the band demodulated, Hz, and who chose it */
                            band: {
                                lowHz: number;
                                highHz: number;
                                /** @enum {string} */
                                chosenBy: "configured" | "kurtogram";
                            };
                            /** @description frequency step between amplitude bins, Hz */
                            resolutionHz: number;
                            /** @description envelope amplitude spectrum from 0 Hz up to maxHz, one value per resolutionHz, sensor unit */
                            amplitude: number[];
                            /** @description the bearings' defect frequencies and their harmonics at the speed used */
                            markers: {
                                bearing: string;
                                /** @enum {string} */
                                defect: "bpfo" | "bpfi" | "rollingElement" | "ftf";
                                /** @description BPFO, BPFI, 2×BSF or FTF */
                                label: string;
                                harmonic: number;
                                hz: number;
                            }[];
                            diagnoses: {
                                fault: string;
                                bearing?: string;
                                confidence: number;
                                message: string;
                            }[];
                            /** @description why the block could not be diagnosed */
                            diagnosisSkipped?: string;
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sensors/{id}/spectrum": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Amplitude spectrum of a vibration sensor's latest sample block (at or before `at`, within a day)
         * @description A retired one answers 404 saying when it was retired, unless asked with `retired=true`. 404: no such sensor, or no block in the day before `at`; 409: the sensor is not a vibration sensor, or its latest block is too short for a spectrum (fewer than 8 samples).
         *
         *     Needs a key with role viewer or above (viewer < technician < admin).
         */
        get: {
            parameters: {
                query?: {
                    /** @description the instant looked back from (default: now); ISO 8601 or epoch ms */
                    at?: string;
                    /** @description true: answer it even when it is retired; false: a retired one answers 404 saying when */
                    retired?: boolean;
                    /** @description highest frequency returned, Hz (the Nyquist frequency when above it) */
                    maxHz?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the vibration sensor */
                            sensorId: string;
                            /** @description the sensor's unit: the unit of every amplitude */
                            unit: string;
                            /** @description timestamp of the block (its first sample), epoch ms */
                            ts: number;
                            /** @description sample rate of the block, Hz */
                            rateHz: number;
                            /** @description samples in the block */
                            samples: number;
                            /** @description spacing of the bins, Hz: rateHz over the block length rounded up to a power of two */
                            resolutionHz: number;
                            /** @description peak amplitude per bin from 0 Hz up to maxHz (or the Nyquist frequency), in `unit`: mean removed, Hann window, divided by its coherent gain so that a sine centred on a bin reads as its own amplitude */
                            amplitude: number[];
                            /** @description frequency of the strongest bin above 0 Hz, interpolated (as the windows’ `dominantHz`), Hz; null for a flat block */
                            dominantHz: number | null;
                            /** @description the edges of the bands whose energies the windows carry (`bandEnergies[i]` is the energy in [bandEdgesHz[i], bandEdgesHz[i+1]) Hz; pipeline.bandEdgesHz), ascending */
                            bandEdgesHz: number[];
                        };
                    };
                };
                /** @description The request is invalid: `field` names what and `message` says why. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The credential's role or site may not use this operation. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No such resource. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The request conflicts with the resource as it stands. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Too many requests, or too many failed authentications from this address: wait Retry-After seconds. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An unexpected server fault; the server logs it. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A dependency (`dependency`) cannot answer now: retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorBody: {
            /**
             * @description a stable code for programs
             * @enum {string}
             */
            error: "invalid_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "precondition_failed" | "payload_too_large" | "unsupported_media_type" | "method_not_allowed" | "rule_violated" | "too_many_requests" | "internal" | "unavailable";
            /** @description for people: what was refused and why, naming the field */
            message: string;
            /** @description the refused field, located in the request: `body.0.ts`, `querystring.from`, `params.id` */
            field?: string;
            /** @description for 503: the dependency that cannot answer now (`database`, `bus`, `rawStore`, …) */
            dependency?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
