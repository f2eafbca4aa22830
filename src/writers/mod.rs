//! One writer per format; each takes the loaded model, none re-reads the source.

pub mod docx;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod text;
