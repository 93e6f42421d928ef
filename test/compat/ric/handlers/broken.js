// Fails while loading, so AWS's runtime client reports an init error.
throw new Error('broken at import');
