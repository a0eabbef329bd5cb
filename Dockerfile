# syntax=docker/dockerfile:1
# The one MANTIS image: every target (start, run --target ingest|process|api, migrate, doctor) from it.
# Node.js runs the TypeScript sources directly (type stripping), so there is no build stage to ship.

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; install scripts are not needed by any of them.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24.21.0-bookworm-slim
LABEL org.opencontainers.image.title="MANTIS" \
      org.opencontainers.image.description="Predictive-maintenance data platform" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    MANTIS_HTTP_HOST=0.0.0.0 \
    MANTIS_HTTP_PORT=8080 \
    MANTIS_DATA_DIR=/var/lib/mantis
# pg_dump and pg_restore for `mantis etl backup|restore`, of the compose stack's PostgreSQL major (16): from the
# PostgreSQL project's apt repository, as Debian bookworm carries only 15 (pg_dump refuses a newer server).
ADD --chmod=644 https://www.postgresql.org/media/keys/ACCC4CF8.asc /usr/share/keyrings/pgdg.asc
RUN echo "deb [signed-by=/usr/share/keyrings/pgdg.asc] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16=16.* \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY src ./src
COPY web ./web
RUN mkdir -p /var/lib/mantis && chown 1000:1000 /var/lib/mantis
# The image's unprivileged "node" user, by number so that runtimes can check it is not root.
USER 1000:1000
VOLUME ["/var/lib/mantis"]
EXPOSE 8080
# Ready means every module of the target is: the same check the compose stack uses.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/mantis.js"]
CMD ["start"]
