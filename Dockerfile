# syntax=docker/dockerfile:1
# Two images from one build: `api` (the API and the worker: APP_ROLE=api|worker|all) and `web`
# (the console). docker compose builds them with `target: api` / `target: web`.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: install the workspace once, build both apps, cut production-only folders ----
FROM ${NODE_IMAGE} AS build
ENV NEXT_TELEMETRY_DISABLED=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
    CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@10.34.9
WORKDIR /src
# Manifests first, so dependency layers are reused while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/api-client/package.json packages/api-client/
COPY packages/testing/package.json packages/testing/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm --filter @dumpstation/api run build \
 && pnpm --filter @dumpstation/web run build
# `pnpm deploy` copies one package with its production dependencies into a self-contained
# folder (no workspace symlinks); the build output is added next to it.
RUN pnpm --filter @dumpstation/api deploy --legacy --prod /out/api \
 && rm -rf /out/api/dist && cp -r apps/api/dist /out/api/dist \
 && pnpm --filter @dumpstation/web deploy --legacy --prod /out/web \
 && rm -rf /out/web/.next && cp -r apps/web/.next /out/web/.next && rm -rf /out/web/.next/cache

# ---- api: API and worker, with pg_dump/pg_restore 12–17 ----
FROM ${NODE_IMAGE} AS api
# Each server major needs a pg_dump of at least its version: install every client from the
# PostgreSQL project's apt repository (set up by postgresql-common's own script). util-linux
# (essential in Debian, named so it stays) has setpriv: pg_dump/pg_restore die with the API.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common age util-linux \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends \
      postgresql-client-12 postgresql-client-13 postgresql-client-14 \
      postgresql-client-15 postgresql-client-16 postgresql-client-17 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    APP_ROLE=all \
    MIGRATIONS_DIR=/app/prisma/migrations \
    PG_BIN_DIR_TEMPLATE=/usr/lib/postgresql/{major}/bin \
    STORAGE_LOCAL_ROOT=/var/lib/dumpstation/backups
WORKDIR /app/apps/api
COPY --from=build --chown=node:node /out/api ./
COPY --from=build --chown=node:node /src/prisma/migrations /app/prisma/migrations
COPY --from=build --chown=node:node /src/apps/api/src/bin/check-pg.sh ./bin/check-pg.sh
# Local-directory storage lives here (a volume); the named volume inherits this ownership.
RUN mkdir -p /var/lib/dumpstation/backups && chown node:node /var/lib/dumpstation/backups
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||process.env.SERVER_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form): in-flight requests finish, then it exits.
CMD ["node", "dist/main.js"]

# ---- web: the console ----
FROM ${NODE_IMAGE} AS web
# HOSTNAME: Docker sets it to the container id; the console's server.js listens on it.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    API_URL=http://api:8080 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
WORKDIR /app/apps/web
COPY --from=build --chown=node:node /out/web ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# server.js is `next start` that tells the API proxy who connected (see its header).
CMD ["node", "server.js"]
