//! The command line: parse arguments, call the library, map errors to exit codes
//! (0 ok, 1 a write failed, 2 bad input or usage, 128 + N killed by signal N after cleaning up).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use handout::style::{Paper, config};
use handout::writers::text::MIN_WIDTH;
use handout::{Error, Format, Options};

const DEFAULT_SOURCE: &str = "source/article.json";
/// What `all` and `check` read when given nothing: every article in the source folder.
const DEFAULT_SOURCE_DIR: &str = "source";
const DEFAULT_OUT_DIR: &str = "output";

#[derive(Parser)]
#[command(
    name = "handout",
    version,
    about = "Chinese article handouts as PDF, Word and plain text from one JSON or Markdown source"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the plain-text handout.
    Txt {
        #[command(flatten)]
        one: One,
        #[command(flatten)]
        plain: PlainArgs,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Write the PDF handout.
    Pdf {
        #[command(flatten)]
        one: One,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Write the Word document.
    Docx {
        #[command(flatten)]
        one: One,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Write every format for every source into DIR as <stem>.pdf, .docx and .txt.
    All {
        /// Source files (`-`: standard input), or folders whose *.json and *.md are sources (default: every
        /// article in source/).
        sources: Vec<PathBuf>,
        /// Say nothing but errors.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Name every file written.
        #[arg(short, long)]
        verbose: bool,
        /// Folder the handouts are written to.
        #[arg(long, default_value = DEFAULT_OUT_DIR, value_name = "DIR")]
        out_dir: PathBuf,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        plain: PlainArgs,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Validate sources (and their handout.toml) and list every character the fonts do not cover,
    /// with where it is.
    Check {
        /// Source files (`-`: standard input), or folders whose *.json and *.md are sources (default: every
        /// article in source/).
        sources: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Convert a source to the other form: Markdown to JSON or JSON to Markdown (same model).
    Convert {
        /// Source file (*.json or *.md; `-`: standard input).
        source: PathBuf,
        /// Output file: *.md or *.json (the form is taken from the name); `-` for standard output.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// The form to write when the output's name does not say (standard output).
        #[arg(long, value_enum)]
        to: Option<Form>,
        /// Largest source read, e.g. 64MiB, 500KB, 1000000.
        #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
        max_input: u64,
    },
    /// Start a new article: FILE.md from a template, with a bibliography FILE.bib beside it (never
    /// replaces an existing file).
    New {
        /// The article to write, e.g. articles/blood-test.md.
        file: PathBuf,
    },
    /// Print the JSON Schema of a source (committed as source/schema.json), of a Markdown source's
    /// front matter (source/front-matter.schema.json), or of handout.toml (handout.schema.json).
    Schema {
        /// Output file; `-` or nothing for standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The schema of the front matter of a Markdown source, for editors that check YAML.
        #[arg(long, conflicts_with = "config")]
        front_matter: bool,
        /// The schema of the configuration file handout.toml, for editors that check TOML.
        #[arg(long)]
        config: bool,
    },
}

/// The two forms of a source.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Form {
    Md,
    Json,
}

#[derive(Args)]
struct One {
    /// Source file, JSON or Markdown (*.md); `-` for standard input (written to output/stdin.<ext>
    /// unless -o says otherwise).
    #[arg(default_value = DEFAULT_SOURCE)]
    source: PathBuf,
    /// Output file (default: output/<stem>.<ext>); `-` for standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// What every command that reads sources takes.
#[derive(Args)]
#[command(next_help_heading = "Input")]
struct InputArgs {
    /// The house style (see docs/configuration.md); default: handout.toml beside the source, else in
    /// the current folder, else none.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Folder holding the Noto Serif SC and Noto Sans SC faces (else HANDOUT_FONTS, ./fonts, the build's fonts/).
    #[arg(long, value_name = "DIR")]
    fonts: Option<PathBuf>,
    /// Largest source read, e.g. 64MiB, 500KB, 1000000.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    max_input: u64,
}

/// The text of every format.
#[derive(Args)]
#[command(next_help_heading = "Text")]
struct TextArgs {
    /// Keep the author's ASCII punctuation in Chinese text instead of setting it full-width.
    #[arg(long)]
    keep_punctuation: bool,
    /// References: personal names as the author wrote them, or as GB/T 7714's examples print them
    /// (family names in capitals, given names as initials: "PEEBLES P Z, Jr").
    #[arg(long, value_enum, default_value_t = RefNamesArg::AsWritten)]
    ref_names: RefNamesArg,
}

#[derive(Args)]
#[command(next_help_heading = "Plain text")]
struct PlainArgs {
    /// Line width in display columns (a Chinese character counts two).
    #[arg(long, default_value_t = 72, value_parser = clap::value_parser!(u16).range(MIN_WIDTH as i64..=1000))]
    width: u16,
    /// Windows (CRLF) line endings.
    #[arg(long)]
    crlf: bool,
}

/// The printed page, in the PDF and the Word document.
#[derive(Args)]
#[command(next_help_heading = "PDF and Word")]
struct PageArgs {
    /// Paper size, with its own margins and sizes (default: handout.toml's `paper`, else a4).
    #[arg(long, value_enum)]
    paper: Option<PaperArg>,
    /// The URL of each link in the text printed for paper, in the PDF as a footnote (foot) or in a
    /// numbered list 链接 before the references (end); the Word document shows the list only with
    /// end (its hyperlinks stay live either way).
    #[arg(long, value_enum, default_value_t = NotesArg::Foot)]
    links: NotesArg,
}

#[derive(Args)]
#[command(next_help_heading = "PDF")]
struct PdfArgs {
    /// Notes at the foot of the page that cites them, or collected as endnotes (注释) before the
    /// references.
    #[arg(long, value_enum, default_value_t = NotesArg::Foot)]
    notes: NotesArg,
    /// A QR code beside each reference entry with a DOI, PMID or PMCID.
    #[arg(long)]
    qr: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PaperArg {
    A4,
    A5,
    B5,
    Letter,
}

impl PaperArg {
    fn paper(self) -> Paper {
        match self {
            PaperArg::A4 => Paper::A4,
            PaperArg::A5 => Paper::A5,
            PaperArg::B5 => Paper::B5,
            PaperArg::Letter => Paper::Letter,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NotesArg {
    Foot,
    End,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RefNamesArg {
    AsWritten,
    Upper,
}

fn parse_size(s: &str) -> Result<u64, String> {
    parse_size::Config::new()
        .with_binary()
        .parse_size(s)
        .map_err(|e| format!("{e}, expected a size such as 64MiB, 500KB or 1000000"))
}

/// The options a command was given; the groups it does not take keep their defaults.
struct Chosen<'a> {
    input: &'a InputArgs,
    text: Option<&'a TextArgs>,
    plain: Option<&'a PlainArgs>,
    page: Option<&'a PageArgs>,
    pdf: Option<&'a PdfArgs>,
}

impl<'a> Chosen<'a> {
    /// The input options alone: what `check` chooses, and what the other commands add theirs to.
    fn of(input: &'a InputArgs) -> Chosen<'a> {
        Chosen {
            input,
            text: None,
            plain: None,
            page: None,
            pdf: None,
        }
    }

    /// The options, with the built-in style: [`Chosen::configured`] or a batch's
    /// [`handout::batch::configure`] puts in the style of each source's configuration.
    fn options(&self) -> Result<Options, Error> {
        let mut options = Options {
            fonts_dir: self.input.fonts.clone(),
            max_input: self.input.max_input,
            source_date_epoch: handout::date::source_date_epoch().map_err(Error::Usage)?,
            ..Options::default()
        };
        if let Some(t) = self.text {
            options.keep_punctuation = t.keep_punctuation;
            options.ref_names = match t.ref_names {
                RefNamesArg::AsWritten => handout::references::NameCase::AsWritten,
                RefNamesArg::Upper => handout::references::NameCase::Upper,
            };
        }
        if let Some(p) = self.plain {
            options.width = p.width.into();
            options.crlf = p.crlf;
        }
        if let Some(p) = self.page {
            options.links = match p.links {
                NotesArg::Foot => handout::walk::LinkPlacement::Foot,
                NotesArg::End => handout::walk::LinkPlacement::End,
            };
        }
        if let Some(p) = self.pdf {
            options.notes = match p.notes {
                NotesArg::Foot => handout::walk::NotePlacement::Foot,
                NotesArg::End => handout::walk::NotePlacement::End,
            };
            options.qr = p.qr;
        }
        Ok(options)
    }

    /// `--paper`, when the command takes it and was given it.
    fn paper(&self) -> Option<Paper> {
        self.page.and_then(|p| p.paper).map(PaperArg::paper)
    }

    /// The options of one source, with the style of the configuration found for it.
    fn configured(&self, source: &Path) -> Result<Options, Error> {
        let mut options = self.options()?;
        let found = config::find(Some(source), self.input.config.as_deref());
        let loaded = found.as_deref().map(config::load).transpose()?;
        options.style = Arc::new(config::style(loaded.as_ref(), self.paper())?);
        Ok(options)
    }
}

/// On SIGINT, SIGTERM or SIGHUP: no temporary left behind, then the exit status a shell expects of a
/// process the signal killed (128 + the signal's number).
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            handout::output::stop_writing();
            eprintln!("handout: interrupted, nothing half-written was left");
            std::process::exit(128 + signal);
        }
    });
}

/// Runs before the standard library's start-up, which replaces a closed standard output by /dev/null:
/// notes whether `handout … >&-` left it closed, so that writing to it fails instead of vanishing.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: fd 1 is only queried, never used or closed, through this borrow.
        let stdout = unsafe { std::os::fd::BorrowedFd::borrow_raw(1) };
        if rustix::io::fcntl_getfd(stdout) == Err(rustix::io::Errno::BADF) {
            handout::output::stdout_was_closed();
        }
    }
    note
};

/// Why a command failed: an error to report, or errors already reported one by one (a batch, a
/// check), with the exit code they add up to.
enum Failure {
    Error(Error),
    Reported(u8),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Error(e) => e.exit_code() as u8,
            Failure::Reported(code) => *code,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    clean_up_on_signals();
    let result: Result<(), Failure> = match cli.command {
        Command::Txt {
            one,
            plain,
            text,
            input,
        } => {
            let chosen = Chosen {
                text: Some(&text),
                plain: Some(&plain),
                ..Chosen::of(&input)
            };
            single(Format::Txt, one, &chosen).map_err(Failure::from)
        }
        Command::Pdf {
            one,
            page,
            pdf,
            text,
            input,
        } => {
            let chosen = Chosen {
                text: Some(&text),
                page: Some(&page),
                pdf: Some(&pdf),
                ..Chosen::of(&input)
            };
            single(Format::Pdf, one, &chosen).map_err(Failure::from)
        }
        Command::Docx {
            one,
            page,
            text,
            input,
        } => {
            let chosen = Chosen {
                text: Some(&text),
                page: Some(&page),
                ..Chosen::of(&input)
            };
            single(Format::Docx, one, &chosen).map_err(Failure::from)
        }
        Command::All {
            sources,
            out_dir,
            quiet,
            verbose,
            page,
            pdf,
            plain,
            text,
            input,
        } => {
            let verbosity = if quiet {
                Verbosity::Quiet
            } else if verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            };
            let chosen = Chosen {
                text: Some(&text),
                plain: Some(&plain),
                page: Some(&page),
                pdf: Some(&pdf),
                ..Chosen::of(&input)
            };
            all(&sources_or_default(sources), &out_dir, &chosen, verbosity)
        }
        Command::Check { sources, input } => {
            let chosen = Chosen::of(&input);
            check(&sources_or_default(sources), &chosen)
        }
        Command::Convert {
            source,
            output,
            to,
            max_input,
        } => convert(&source, &output, to, max_input).map_err(Failure::from),
        Command::New { file } => handout::template::create(&file)
            .map(|written| {
                for path in written {
                    eprintln!("handout: wrote {}", path.display());
                }
            })
            .map_err(Failure::from),
        Command::Schema {
            output,
            front_matter,
            config,
        } => {
            let text = if front_matter {
                handout::schema::front_matter_schema_json()
            } else if config {
                config::schema_json()
            } else {
                handout::schema::schema_json()
            };
            handout::output::write(output.as_deref().unwrap_or(Path::new("-")), text.as_bytes())
                .map_err(Failure::from)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if let Failure::Error(e) = &failure {
                report(e);
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Prints an error, one line per problem, each prefixed with the program's name.
fn report(e: &Error) {
    for line in e.to_string().lines() {
        eprintln!("handout: {line}");
    }
}

fn sources_or_default(sources: Vec<PathBuf>) -> Vec<PathBuf> {
    if sources.is_empty() {
        vec![PathBuf::from(DEFAULT_SOURCE_DIR)]
    } else {
        sources
    }
}

fn ensure_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Write {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })
}

fn single(format: Format, one: One, chosen: &Chosen) -> Result<(), Error> {
    let default_dir = one.output.is_none().then(|| Path::new(DEFAULT_OUT_DIR));
    let path = one.output.clone().unwrap_or_else(|| {
        handout::batch::output_path(&one.source, Path::new(DEFAULT_OUT_DIR), format)
    });
    // Refused before the source is read or anything rendered or made.
    handout::batch::refuse_replacing_sources(
        std::slice::from_ref(&one.source),
        std::slice::from_ref(&path),
    )?;
    // The configuration is read (and any problem in it reported) before the source.
    let options = chosen.configured(&one.source)?;
    let source = handout::load_with(&one.source, &options)?;
    let bytes = handout::render_source(&source, format, &options)?;
    if let Some(dir) = default_dir {
        ensure_dir(dir)?;
    }
    handout::output::write(&path, &bytes)
}

/// `convert`: the source in the other form (or the same form, normalized), the form taken from the
/// output's name or `--to`.
fn convert(source: &Path, output: &Path, to: Option<Form>, limit: u64) -> Result<(), Error> {
    let named = if handout::source::is_markdown(output) {
        Some(Form::Md)
    } else if output.extension().is_some_and(|x| x == "json") {
        Some(Form::Json)
    } else {
        None
    };
    let Some(form) = to.or(named) else {
        return Err(Error::Usage(format!(
            "{}: cannot tell the form to write, expected an output named *.md or *.json, or --to md|json",
            output.display()
        )));
    };
    handout::batch::refuse_replacing_sources(
        std::slice::from_ref(&source.to_path_buf()),
        std::slice::from_ref(&output.to_path_buf()),
    )?;
    let article = handout::source::Source::read(source, limit)?.article;
    let text = match form {
        Form::Json => handout::writers::json::write(&article),
        Form::Md => handout::writers::markdown::write(&article).map_err(|e| {
            Error::Usage(format!(
                "{}: {e}; nothing was written (the JSON form holds it)",
                source.display()
            ))
        })?,
    };
    handout::output::write(output, text.as_bytes())
}

/// How much `all` says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Every format for every source, in parallel. A bad source is reported with its location and
/// the others are still written. Exit code: 0 all written; 1 some written, some failed; 2 nothing
/// written because the input was bad.
fn all(
    args: &[PathBuf],
    out_dir: &Path,
    chosen: &Chosen,
    verbosity: Verbosity,
) -> Result<(), Failure> {
    let options = chosen.options()?;
    let formats = Format::ALL;
    let sources = handout::batch::expand_sources(args)?;
    if sources.is_empty() {
        return Err(no_source(args));
    }
    let sources = handout::batch::fold_twins(sources, options.max_input);
    let sources = handout::batch::plan(&sources, out_dir, &formats)?;
    // Every source's configuration is read first: a problem in one stops the batch before anything
    // is written (a house style is every handout's, not one source's).
    let configured = handout::batch::configure(
        &sources,
        chosen.input.config.as_deref(),
        chosen.paper(),
        &options,
    );
    if !configured.errors.is_empty() {
        for e in configured.errors {
            report(&Error::Source(e));
        }
        return Err(Failure::Reported(2));
    }
    let per_source: Vec<Options> = configured.options.into_iter().flatten().collect();
    ensure_dir(out_dir)?;
    let started = std::time::Instant::now();
    let bar = if verbosity != Verbosity::Quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(sources.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcomes = handout::batch::run_each(
        &sources,
        out_dir,
        &formats,
        |i| &per_source[i],
        |o| {
            bar.inc(1);
            if verbosity == Verbosity::Verbose {
                for path in &o.written {
                    let line = format!("handout: wrote {}", path.display());
                    // The bar prints above itself on a terminal; elsewhere it is hidden and prints nothing.
                    if bar.is_hidden() {
                        eprintln!("{line}");
                    } else {
                        bar.println(line);
                    }
                }
            }
        },
    );
    bar.finish_and_clear();

    let failed: Vec<&Error> = outcomes.iter().filter_map(|o| o.error.as_ref()).collect();
    for e in &failed {
        report(e);
    }
    let files: usize = outcomes.iter().map(|o| o.written.len()).sum();
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "handout: {} source(s), {files} file(s) written to {}, {} failed, {:.3} s",
            sources.len(),
            out_dir.display(),
            failed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if failed.is_empty() {
        Ok(())
    } else if files == 0 && failed.iter().all(|e| e.exit_code() == 2) {
        Err(Failure::Reported(2))
    } else {
        Err(Failure::Reported(1))
    }
}

/// Folders given as sources that hold none: said, exit 2.
fn no_source(args: &[PathBuf]) -> Failure {
    let names: Vec<String> = args.iter().map(|a| a.display().to_string()).collect();
    eprintln!("handout: no *.json or *.md source in {}", names.join(", "));
    Failure::Reported(2)
}

/// `check`: every source validated and its characters looked up in the fonts its style sets. A
/// configuration that fails is reported once; the sources it serves are not checked.
fn check(args: &[PathBuf], chosen: &Chosen) -> Result<(), Failure> {
    let options = chosen.options()?;
    let sources = handout::batch::expand_sources(args)?;
    if sources.is_empty() {
        return Err(no_source(args));
    }
    let configured =
        handout::batch::configure(&sources, chosen.input.config.as_deref(), None, &options);
    let mut failed = None;
    for e in configured.errors {
        report(&Error::Source(e));
        failed = Some(2);
    }
    // The fonts first (as before any source is read): without them nothing can be checked.
    for options in configured.options.iter().flatten() {
        options.fonts().map_err(Error::from)?;
    }
    for (file, options) in sources.iter().zip(&configured.options) {
        let Some(options) = options else { continue };
        let result = handout::load_with(file, options)
            .and_then(|source| handout::check_fonts(&source, options.fonts()?).map(|()| source));
        match result {
            Ok(source) => {
                let line = format!("{}: ok\n", source.file.display());
                handout::output::write(Path::new("-"), line.as_bytes())?;
            }
            Err(e) => {
                report(&e);
                failed.get_or_insert(e.exit_code() as u8);
            }
        }
    }
    match failed {
        Some(code) => Err(Failure::Reported(code)),
        None => Ok(()),
    }
}
