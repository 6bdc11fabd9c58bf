// Placeholder; the -fplugin front end is being written.
