"""paxgame's benchmark suite: every benchmark races a peer library in the same run."""
