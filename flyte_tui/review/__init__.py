"""What an upgrade changes: answers, values and manifests, and the helm-diff cross-check."""
