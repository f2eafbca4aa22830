//! `handout.toml`: a team's house style, read with located errors.
