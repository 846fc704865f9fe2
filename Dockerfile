# syntax=docker/dockerfile:1
# The status reconciler (src/reconciler). Multi-stage: the build stage has
# npm and TypeScript; the runtime stage is distroless (node and CA certs only,
# no shell, no package manager) and runs as uid 65532, which the
# StatusReconciler construct's restricted securityContext expects.
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
# cdk8s and constructs are peer dependencies the runtime needs (the expected-children
# contract imports the generated CRD classes); npm keeps peers on prune, and the
# last command fails the build should that ever change.
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && node -e "require.resolve('cdk8s'); require.resolve('constructs'); require.resolve('@kubernetes/client-node')"

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
