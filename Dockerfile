# syntax=docker/dockerfile:1
# The status reconciler (src/reconciler). Multi-stage: the build stage has
# npm and TypeScript; the runtime stage is distroless (node and CA certs only,
# no shell, no package manager) and runs as uid 65532, which the
# StatusReconciler construct's restricted securityContext expects. Node >= 20.19
# (package.json engines): client-node is ESM-only and main.js require()s it.
# test/reconciler/dockerfile.test.ts keeps entrypoint, user, port and flags in
# step with the construct.
#
#   docker build -t ghcr.io/cdk8s-abi-vecodex/status-reconciler:0.1.0 .

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY imports ./imports
COPY scripts ./scripts
# After pruning dev dependencies, load the reconciler's modules (options.js parses
# flags only, it starts nothing) and client-node (require of ESM, Node >= 20.19): a
# runtime dependency prune dropped fails the build, not the pod. The dockerfile test
# checks the same from main.js's require graph.
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && node -e "require('./lib/src/reconciler/options.js'); require('@kubernetes/client-node')"

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/lib ./lib
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "lib/src/reconciler/main.js"]
CMD ["--leader-elect=true", "--listen-address=0.0.0.0:8080"]
