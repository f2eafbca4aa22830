//! PDF layout: the model turned into pages of positioned glyphs. Pure: no PDF in here, so it can be
//! tested on its own; `writers::pdf` exports the pages.
