"""Where the app's settings come from and where its files live: keys and precedence, IT policy, paths, logs."""
