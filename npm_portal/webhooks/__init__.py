"""Signed webhooks (Standard Webhooks): subscriptions the NPM head manages, events sent by the
services of `visits` and `recommendations`, delivery by the task queue with retries and a
delivery log, and a guard against requests to internal addresses (SSRF)."""
