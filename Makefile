# DumpStation — the two commands are `make dev` and `make test`; `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PNPM_VERSION := 10.34.9
export NEXT_TELEMETRY_DISABLED := 1
# Prisma's schema engine cannot be downloaded here; generate and validate do not need it.
export PRISMA_SCHEMA_ENGINE_BINARY := /bin/false
export CHECKPOINT_DISABLE := 1
# Settings in .env (see .env.example) apply to every target.
ifneq (,$(wildcard .env))
include .env
export
endif

# PostgreSQL clients Debian bookworm lacks (17), cached outside the checkout by scripts/install-pg-client-17.sh.
export PG_CLIENTS_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/dumpstation/pg-clients

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
COMPOSE := docker compose -f docker-compose.yml

.PHONY: help deps system-deps pg-clients dev build test test-only lint format typecheck swagger check-generated \
	compose-lint docker-build docker-up docker-down docker-logs check-pg

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

deps: ## Install pnpm (if missing) and the workspace dependencies
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node >= 20.19 is required, found "+process.versions.node); process.exit(1) }'
	@command -v pnpm >/dev/null 2>&1 && [ "$$(pnpm --version)" = "$(PNPM_VERSION)" ] || npm install -g pnpm@$(PNPM_VERSION)
	pnpm install --frozen-lockfile
	pnpm run generate

system-deps: ## Install the Debian tools the tests use (chromium, age, pg_dump) when absent
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v age >/dev/null 2>&1 || missing="$$missing age"; \
	command -v pg_dump >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

pg-clients: ## Cache pg_dump/pg_restore/pg_dumpall/psql 17 (Debian trixie's, unpacked) under PG_CLIENTS_DIR when absent
	@bash scripts/install-pg-client-17.sh

dev: deps pg-clients ## Run API (:8080) and console (:3000); embedded PostgreSQL under .data/ when DATABASE_URL is unset
	node packages/testing/bin/dev-stack.mjs

build: deps ## Build every package (API to apps/api/dist, console to apps/web/.next)
	pnpm run build

lint: deps ## ESLint and Prettier across the workspace
	pnpm run lint

format: deps ## Format and auto-fix the workspace
	pnpm run format

typecheck: deps ## TypeScript across the workspace
	pnpm run typecheck

swagger: deps ## Regenerate docs/openapi.json and packages/api-client from the API
	pnpm run openapi

check-generated: deps ## Fail when docs/openapi.json or packages/api-client differ from a fresh generation
	@before=$$(mktemp -d); \
	cp docs/openapi.json "$$before/openapi.json"; cp -r packages/api-client/src/generated "$$before/generated"; \
	pnpm run openapi >/dev/null; \
	if ! diff -r "$$before/generated" packages/api-client/src/generated >/dev/null || ! diff "$$before/openapi.json" docs/openapi.json >/dev/null; then \
		diff -ru "$$before/openapi.json" docs/openapi.json | head -40 || true; \
		echo "docs/openapi.json or packages/api-client is stale: run 'make swagger' and commit the result." >&2; exit 1; \
	fi; \
	rm -rf "$$before"; echo "docs/openapi.json and packages/api-client are up to date"

compose-lint: deps ## Validate docker-compose.yml and docker-compose.prod.yml
	pnpm run compose:lint

test: deps system-deps pg-clients ## Everything CI runs: lint, types, generated-code freshness, compose files, all test suites
	$(MAKE) --no-print-directory lint typecheck check-generated compose-lint
	pnpm run build
	pnpm run test

test-only: ## Run the test suites without the checks (after one `make test`)
	pnpm run test

check-pg: ## List the installed pg_dump/pg_restore majors (system and PG_CLIENTS_DIR) and which servers they can back up
	@PG_BIN_DIR_TEMPLATE='$(or $(PG_BIN_DIR_TEMPLATE),/usr/lib/postgresql/{major}/bin:$(PG_CLIENTS_DIR)/{major}/bin)' bash apps/api/src/bin/check-pg.sh

docker-build: ## Build the api and web images
	$(COMPOSE) build

docker-up: ## Start the dev stack in Docker (api, web, postgres, minio, pg12/14/16 targets)
	$(COMPOSE) up -d

docker-down: ## Stop the Docker stack
	$(COMPOSE) down

docker-logs: ## Follow the Docker stack's logs
	$(COMPOSE) logs -f --tail=200
