"""Forms of `recommendations`: the tracker and authoring (`tracker`), response letters,
assessments and follow-up checks (`compliance`)."""
