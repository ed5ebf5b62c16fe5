//! Scenes: RON files holding an organization, its environment and named timelines, checked with
//! errors that name file, line, column and what was expected.

mod generate;
mod locate;
mod session;
mod standard;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::{
    BuildError, COLUMNS, Forest, Intervention, InterventionKind, LightConfig, LinkInit, MAX_DELAY, MEMORY_LIMIT,
    MemoryNeed, NONE, Params, Selection, Style, TeamInit, find_cycle,
};
pub use generate::{MAX_TEAMS, generate};
use locate::Locator;
pub use session::{SESSION_TIMELINE, session_scene, with_branch};
pub use standard::{
    PAIRS, STANDARD_RESTRUCTURE, STANDARD_START, STANDARD_STRENGTH, standard_entry, standard_timelines,
};

/// The scene compiled into the binary, so everything works with no file.
pub const DEFAULT_SCENE: &str = include_str!("../../scenes/default.ron");
/// Name used in messages for the built-in scene.
pub const DEFAULT_SCENE_NAME: &str = "<built-in default.ron>";
/// Largest scene file read, checked before reading it.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A scene as written in a `.ron` file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Ticks a run lasts unless told otherwise.
    #[serde(default = "default_ticks")]
    pub ticks: u64,
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub light: LightConfig,
    #[serde(deserialize_with = "bounded_teams")]
    pub teams: Vec<TeamSpec>,
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    /// Events that happen whatever the leader does (droughts, storms...), on every timeline.
    #[serde(default)]
    pub environment: Vec<Entry>,
    #[serde(default)]
    pub timelines: BTreeMap<String, Vec<Entry>>,
    /// Timeline used when none is named.
    #[serde(default)]
    pub default_timeline: Option<String>,
}

fn default_seed() -> u64 {
    1
}
fn default_ticks() -> u64 {
    1000
}
fn default_size() -> f64 {
    6.0
}
fn default_delay() -> u32 {
    2
}
fn default_capacity() -> f64 {
    1.0
}
fn default_strength() -> f64 {
    0.5
}
fn default_caption_ticks() -> u64 {
    100
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    pub name: String,
    /// Position across the forest, 0 to 1; spread evenly when left out.
    #[serde(default)]
    pub x: Option<f64>,
    /// People in the team.
    #[serde(default = "default_size")]
    pub size: f64,
    #[serde(default)]
    pub reports_to: Option<String>,
    /// Starting biomass; the team's size when left out.
    #[serde(default)]
    pub biomass: Option<f64>,
    /// Starting energy (budget); enough for its reserve and a little more when left out.
    #[serde(default)]
    pub energy: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub a: String,
    pub b: String,
    #[serde(default = "default_delay")]
    pub delay: u32,
    #[serde(default = "default_capacity")]
    pub capacity: f64,
}

/// Which teams an entry reaches.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Targets {
    #[default]
    All,
    Teams(Vec<String>),
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Entry {
    Intervene {
        tick: u64,
        kind: InterventionKind,
        #[serde(default = "default_strength")]
        strength: f64,
        #[serde(default)]
        duration: u64,
        #[serde(default)]
        on: Targets,
    },
    /// Same as `Intervene`, for readability; the kind must be a shock.
    Shock {
        tick: u64,
        kind: InterventionKind,
        #[serde(default = "default_strength")]
        strength: f64,
        #[serde(default)]
        duration: u64,
        #[serde(default)]
        on: Targets,
    },
    Caption {
        tick: u64,
        text: String,
        #[serde(default = "default_caption_ticks")]
        duration: u64,
    },
    Chapter {
        tick: u64,
        title: String,
        #[serde(default)]
        caption: String,
        /// Pause here for discussion when presenting.
        #[serde(default)]
        pause: bool,
        /// Speed (as in the app: 1 = 10 ticks a second) the story plays this chapter at once a
        /// presenter goes on into it with Next; the speed set in the app when left out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pace: Option<f64>,
        /// Metrics (CSV column names) the chapter asks the room to watch: presenting shows them
        /// in a small plot strip while the chapter lasts.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        watch: Vec<String>,
    },
    /// Here the two roads part: the forest forks at `tick` into two with the same state, random
    /// stream and environment. The original keeps this timeline's course; the branch follows
    /// `entries` (each at `tick` or later) instead. At most one a timeline; not in `environment`.
    Branch {
        tick: u64,
        /// What the branch is called on screen and in the CSV's summary ("tend the soil").
        label: String,
        #[serde(default)]
        entries: Vec<Entry>,
    },
}

impl Entry {
    pub fn tick(&self) -> u64 {
        match self {
            Entry::Intervene { tick, .. }
            | Entry::Shock { tick, .. }
            | Entry::Caption { tick, .. }
            | Entry::Chapter { tick, .. }
            | Entry::Branch { tick, .. } => *tick,
        }
    }
}

/// A timeline's `entries` as a forest takes them up at tick `at` having followed another road
/// until then (the entries of a branch made mid-run): the decisions that would be in force at
/// `at` start there, for what is left of them; everything from `at` on stays as written;
/// shocks, one-off decisions, chapters and captions before `at` belong to the other road. The
/// same rule as [`Timeline::taken_over_at`], on entries, so a branch can be saved as a scene.
pub fn taken_over_entries(entries: &[Entry], at: u64) -> Vec<Entry> {
    // In tick order first, as a resolved timeline is, so both give their decisions in one order.
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.tick());
    sorted
        .into_iter()
        .filter_map(|e| match e {
            _ if e.tick() >= at => Some(e.clone()),
            Entry::Intervene { tick, kind, strength, duration, on }
                if kind.is_standing() && Intervention::ends(*tick, *duration) > at =>
            {
                Some(Entry::Intervene {
                    tick: at,
                    kind: *kind,
                    strength: *strength,
                    duration: Intervention::ends(*tick, *duration) - at,
                    on: on.clone(),
                })
            }
            _ => None,
        })
        .filter(|e| !matches!(e, Entry::Branch { .. }))
        .collect()
}

/// A timeline event with team names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Intervene(Intervention),
    Caption { text: String, duration: u64 },
    Chapter { title: String, caption: String, pause: bool, pace: Option<f64>, watch: Vec<String> },
}

/// Slowest and fastest pace a chapter may ask for: the app's speeds.
pub const CHAPTER_PACES: (f64, f64) = (1.0, 64.0);

/// Ticks a chapter's caption stays on screen.
pub const CHAPTER_CAPTION_TICKS: u64 = 150;

/// A chapter of a story: where it starts and what it says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chapter<'a> {
    pub tick: u64,
    pub title: &'a str,
    pub caption: &'a str,
    pub pause: bool,
    /// Speed to play it at when a presenter goes on into it.
    pub pace: Option<f64>,
    /// Metrics to show in the presenting plot strip.
    pub watch: &'a [String],
}

/// A resolved timeline, sorted by tick (stable, so same-tick entries keep file order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub name: String,
    pub events: Vec<(u64, Event)>,
    /// Where a scripted branch forks from this timeline, and what it follows.
    pub branch: Option<ScriptedBranch>,
}

/// A timeline's `Branch` entry, resolved: the branch's timeline holds the scene's environment
/// and the branch's own entries, so both futures meet the same weather.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedBranch {
    pub tick: u64,
    pub label: String,
    pub timeline: Box<Timeline>,
}

impl Timeline {
    /// This timeline as a forest takes it up at tick `at` having followed another until then:
    /// its decisions that would be in force at `at` start there, for what is left of them, and
    /// everything from `at` on follows as written. Shocks and one-off decisions before `at` are
    /// the other road's past, not this one's.
    pub fn taken_over_at(&self, at: u64) -> Timeline {
        let mut events: Vec<(u64, Event)> = Vec::with_capacity(self.events.len());
        for (tick, event) in &self.events {
            match event {
                _ if *tick >= at => events.push((*tick, event.clone())),
                Event::Intervene(iv) if iv.kind.is_standing() && iv.end(*tick) > at => {
                    let mut rest = iv.clone();
                    rest.duration = iv.end(*tick) - at;
                    events.push((at, Event::Intervene(rest)));
                }
                _ => {}
            }
        }
        events.sort_by_key(|(t, _)| *t);
        Timeline { name: self.name.clone(), events, branch: None }
    }

    /// Interventions due at `tick`, in order.
    pub fn interventions_at(&self, tick: u64) -> impl Iterator<Item = &Intervention> {
        let start = self.events.partition_point(|(t, _)| *t < tick);
        self.events[start..].iter().take_while(move |(t, _)| *t == tick).filter_map(|(_, e)| match e {
            Event::Intervene(iv) => Some(iv),
            _ => None,
        })
    }

    /// Chapters in order: tick, title, caption, whether to pause there.
    pub fn chapters(&self) -> Vec<Chapter<'_>> {
        self.events
            .iter()
            .filter_map(|(tick, e)| match e {
                Event::Chapter { title, caption, pause, pace, watch } => {
                    Some(Chapter { tick: *tick, title, caption, pause: *pause, pace: *pace, watch })
                }
                _ => None,
            })
            .collect()
    }

    /// The chapter the story is in at `tick`: the last one that began at or before it.
    pub fn chapter_at(&self, tick: u64) -> Option<(usize, Chapter<'_>)> {
        self.chapters().into_iter().enumerate().rev().find(|(_, c)| c.tick <= tick)
    }

    /// The text to show at `tick`: the newest caption still showing, else the caption of a
    /// chapter that began in the last `CHAPTER_CAPTION_TICKS` ticks.
    pub fn caption_at(&self, tick: u64) -> Option<String> {
        let mut shown = None;
        for (at, event) in &self.events {
            if *at > tick {
                break;
            }
            match event {
                Event::Caption { text, duration } if tick < at.saturating_add(*duration) => shown = Some(text.clone()),
                Event::Chapter { title, caption, .. } if tick < at + CHAPTER_CAPTION_TICKS => {
                    shown = Some(if caption.is_empty() { title.clone() } else { format!("{title} — {caption}") })
                }
                _ => {}
            }
        }
        shown
    }

    /// The last tick any event happens at.
    pub fn end(&self) -> u64 {
        self.events.last().map(|(t, _)| *t).unwrap_or(0)
    }

    /// The tick by which every standing decision of this timeline (not a shock, not a one-off
    /// such as a reorganization) has ended, if it has any: a run longer than that goes on
    /// without them.
    pub fn decisions_end(&self) -> Option<u64> {
        self.events
            .iter()
            .filter_map(|(tick, event)| match event {
                Event::Intervene(iv) if iv.kind.is_standing() => Some(iv.end(*tick)),
                _ => None,
            })
            .max()
    }
}

/// What is wrong with a scene, and where.
#[derive(Debug, thiserror::Error)]
pub enum SceneError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}:{line}:{column}: {message}")]
    At { file: String, line: usize, column: usize, message: String },
}

impl SceneError {
    /// Line and column, where the error has them.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            SceneError::At { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// What a scene allows but its author is unlikely to mean, and where it is written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SceneWarning {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every error found in one scene.
#[derive(Debug)]
pub struct SceneErrors(pub Vec<SceneError>);

impl fmt::Display for SceneErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, e) in self.0.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SceneErrors {}

impl From<SceneError> for SceneErrors {
    fn from(e: SceneError) -> Self {
        SceneErrors(vec![e])
    }
}

fn bounded_teams<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TeamSpec>, D::Error> {
    struct Bounded;
    impl<'de> Visitor<'de> for Bounded {
        type Value = Vec<TeamSpec>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of at most {MAX_TEAMS} teams")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut teams = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(team) = seq.next_element()? {
                if teams.len() == MAX_TEAMS {
                    return Err(de::Error::custom(format!(
                        "more than {MAX_TEAMS} teams: Understory refuses organizations this large"
                    )));
                }
                teams.push(team);
            }
            Ok(teams)
        }
    }
    d.deserialize_seq(Bounded)
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// A parsed and checked scene with the source it came from.
#[derive(Debug, Clone)]
pub struct LoadedScene {
    pub file: String,
    pub scene: Scene,
    pub index: HashMap<String, u32>,
    /// What the scene allows but its author is unlikely to mean, located as errors are: an
    /// entry at or after the scene's `ticks`, which a run of the scene's own length never reaches
    /// (the app, which runs on, still does).
    pub warnings: Vec<SceneWarning>,
}

impl LoadedScene {
    /// Reads and checks a scene file.
    pub fn from_path(path: &Path) -> Result<Self, SceneErrors> {
        let file = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| SceneError::Io { file: file.clone(), source })?;
        if meta.is_dir() {
            return Err(SceneError::File { file, message: "is a directory, expected a .ron scene file".into() }.into());
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(SceneError::File {
                file,
                message: format!("is {} bytes; scene files over {MAX_FILE_BYTES} bytes are refused", meta.len()),
            }
            .into());
        }
        let bytes = std::fs::read(path).map_err(|source| SceneError::Io { file: file.clone(), source })?;
        let source = String::from_utf8(bytes)
            .map_err(|e| SceneError::File { file: file.clone(), message: format!("is not UTF-8 text: {e}") })?;
        Self::from_source(&file, &source)
    }

    /// The built-in default scene.
    pub fn builtin_default() -> Self {
        Self::from_source(DEFAULT_SCENE_NAME, DEFAULT_SCENE).expect("the built-in default scene is checked by tests")
    }

    /// Parses and checks scene text; `file` names it in messages.
    pub fn from_source(file: &str, source: &str) -> Result<Self, SceneErrors> {
        let locator = Locator::new(source);
        let scene: Scene = ron_options().from_str(source).map_err(|e| {
            let (line, column) = (e.span.start.line, e.span.start.col);
            let mut message = e.code.to_string();
            // What the parser expected next says little when the text simply stopped (a file
            // cut short, a bracket never closed): say so.
            if (line, column) >= locator.line_col(source.trim_end().len()) {
                message.push_str(": the file ends here, before the scene is closed (is a `)` or `]` missing?)");
            }
            SceneError::At { file: file.to_string(), line, column, message }
        })?;
        let (index, warnings) = validate(file, &scene, &locator)?;
        Ok(Self { file: file.to_string(), scene, index, warnings })
    }

    /// Builds the forest with the given seed (the scene's own when `None`).
    pub fn forest(&self, seed: Option<u64>) -> Result<Forest, BuildError> {
        let s = &self.scene;
        let n = s.teams.len();
        let teams = s
            .teams
            .iter()
            .enumerate()
            .map(|(i, t)| TeamInit {
                name: t.name.clone(),
                x: t.x.unwrap_or((i as f64 + 0.5) / n as f64),
                size: t.size,
                parent: t.reports_to.as_ref().map(|p| self.index[p]).unwrap_or(NONE),
                biomass: t.biomass.unwrap_or(t.size),
                energy: t.energy,
            })
            .collect();
        let links = s
            .links
            .iter()
            .map(|l| LinkInit { a: self.index[&l.a], b: self.index[&l.b], delay: l.delay, capacity: l.capacity })
            .collect();
        Forest::new(teams, links, s.params.clone(), s.light.clone(), seed.unwrap_or(s.seed))
    }

    /// The named timeline (or the scene's default, or none) merged with the environment.
    pub fn timeline(&self, name: Option<&str>) -> Result<Timeline, String> {
        let s = &self.scene;
        let chosen = name.map(str::to_string).or_else(|| s.default_timeline.clone());
        let mut entries: Vec<&Entry> = s.environment.iter().collect();
        if let Some(name) = &chosen {
            let Some(t) = s.timelines.get(name) else {
                let known: Vec<&str> = s.timelines.keys().map(String::as_str).collect();
                return Err(format!(
                    "scene '{}' has no timeline '{name}'; it has: {}",
                    s.name,
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                ));
            };
            entries.extend(t.iter());
        }
        let name = chosen.unwrap_or_else(|| "hands-off".to_string());
        let branch = entries.iter().find_map(|e| match e {
            Entry::Branch { tick, label, entries: own } => Some(ScriptedBranch {
                tick: *tick,
                label: label.clone(),
                timeline: Box::new(Timeline {
                    name: label.clone(),
                    events: self.events(s.environment.iter().chain(own.iter()).collect()),
                    branch: None,
                }),
            }),
            _ => None,
        });
        Ok(Timeline { name, events: self.events(entries), branch })
    }

    /// The timeline of a branch that follows `entries` (each at its fork's tick or later): the
    /// scene's environment and those entries, as a `Branch` entry resolves.
    pub fn branch_timeline(&self, label: &str, entries: &[Entry]) -> Timeline {
        Timeline {
            name: label.to_string(),
            events: self.events(self.scene.environment.iter().chain(entries.iter()).collect()),
            branch: None,
        }
    }

    /// Entries resolved and sorted by tick (stably); a `Branch` is not an event of its own.
    fn events(&self, entries: Vec<&Entry>) -> Vec<(u64, Event)> {
        let mut events: Vec<(u64, Event)> = entries
            .into_iter()
            .filter(|e| !matches!(e, Entry::Branch { .. }))
            .map(|e| (e.tick(), self.resolve(e)))
            .collect();
        events.sort_by_key(|(t, _)| *t);
        events
    }

    fn resolve(&self, e: &Entry) -> Event {
        match e {
            Entry::Intervene { kind, strength, duration, on, .. }
            | Entry::Shock { kind, strength, duration, on, .. } => Event::Intervene(Intervention {
                kind: *kind,
                strength: *strength,
                duration: *duration,
                on: match on {
                    Targets::All => Selection::All,
                    Targets::Teams(names) => Selection::Trees(names.iter().map(|n| self.index[n]).collect()),
                },
            }),
            Entry::Caption { text, duration, .. } => Event::Caption { text: text.clone(), duration: *duration },
            Entry::Chapter { title, caption, pause, pace, watch, .. } => Event::Chapter {
                title: title.clone(),
                caption: caption.clone(),
                pause: *pause,
                pace: *pace,
                watch: watch.clone(),
            },
            Entry::Branch { .. } => unreachable!("branches are filtered out before resolving"),
        }
    }
}

/// A number as an error shows it: as written for everyday sizes, in exponent form for the very
/// large and very small (`1e308`, not three hundred digits).
fn number(v: f64) -> String {
    let a = v.abs();
    if a.is_finite() && a != 0.0 && !(1e-4..1e9).contains(&a) { format!("{v:e}") } else { format!("{v}") }
}

/// The team index and the warnings of a scene without errors.
type Checked = (HashMap<String, u32>, Vec<SceneWarning>);

/// Checks everything serde cannot: ranges, names, references, cycles. Returns the name index
/// and the warnings.
fn validate(file: &str, s: &Scene, at: &Locator) -> Result<Checked, SceneErrors> {
    let errors = std::cell::RefCell::new(Vec::new());
    let warnings = std::cell::RefCell::new(Vec::new());
    let err = |offset: usize, message: String| {
        let (line, column) = at.line_col(offset);
        errors.borrow_mut().push(SceneError::At { file: file.to_string(), line, column, message });
    };
    let warn = |offset: usize, message: String| {
        let (line, column) = at.line_col(offset);
        warnings.borrow_mut().push(SceneWarning { file: file.to_string(), line, column, message });
    };
    if s.teams.is_empty() {
        err(at.key("teams", 0), "expected at least one team in `teams`".into());
    }
    for (field, value, lo, hi) in s.params.ranges() {
        if !(value >= lo && value <= hi) {
            err(
                at.key_in("params", field),
                format!("params.{field} is {}, expected a value from {lo} to {hi}", number(value)),
            );
        }
    }
    for (field, value, lo, hi) in s.light.ranges() {
        if !(value >= lo && value <= hi) {
            err(
                at.key_in("light", field),
                format!("light.{field} is {}, expected a value from {lo} to {hi}", number(value)),
            );
        }
    }
    let mut index = HashMap::with_capacity(s.teams.len());
    for (i, t) in s.teams.iter().enumerate() {
        // Positions are looked up only when an error needs one: finding them is not free.
        let pos = || at.team(&t.name, i);
        if t.name.trim().is_empty() {
            err(pos(), format!("team {} has an empty name, expected a name", i + 1));
        }
        if index.insert(t.name.clone(), i as u32).is_some() {
            err(pos(), format!("team name \"{}\" is used twice, expected unique names", t.name));
        }
        if !(t.size >= 1.0 && t.size <= 100_000.0) {
            err(
                at.field_after(pos(), "size"),
                format!("team \"{}\" has size {}, expected 1 to 100000 people", t.name, number(t.size)),
            );
        }
        if let Some(x) = t.x
            && !(0.0..=1.0).contains(&x)
        {
            err(
                at.field_after(pos(), "x"),
                format!("team \"{}\" has x {}, expected a position from 0 to 1", t.name, number(x)),
            );
        }
        if let Some(b) = t.biomass
            && !(b > 0.0 && b <= 1e9)
        {
            err(
                at.field_after(pos(), "biomass"),
                format!("team \"{}\" has biomass {}, expected above 0 and at most 1e9", t.name, number(b)),
            );
        }
        if let Some(e) = t.energy
            && !(0.0..=1e9).contains(&e)
        {
            err(
                at.field_after(pos(), "energy"),
                format!("team \"{}\" has energy {}, expected 0 to 1e9", t.name, number(e)),
            );
        }
    }
    for (i, t) in s.teams.iter().enumerate() {
        if let Some(p) = &t.reports_to
            && !index.contains_key(p)
        {
            err(
                at.field_after(at.team(&t.name, i), "reports_to"),
                format!("team \"{}\" reports to \"{p}\", but no team has that name", t.name),
            );
        }
    }
    for (k, l) in s.links.iter().enumerate() {
        let pos = || at.item_in("links", k);
        for end in [&l.a, &l.b] {
            if !index.contains_key(end) {
                err(
                    at.string_after(pos(), end),
                    format!("link {} names team \"{end}\", but no team has that name", k + 1),
                );
            }
        }
        if l.a == l.b {
            err(pos(), format!("link {} joins \"{}\" to itself, expected two different teams", k + 1, l.a));
        }
        if !(1..=MAX_DELAY).contains(&l.delay) {
            err(
                at.field_after(pos(), "delay"),
                format!("link {} has delay {}, expected 1 to {MAX_DELAY} ticks", k + 1, l.delay),
            );
        }
        if !(l.capacity >= 0.0 && l.capacity <= 1e6) {
            err(
                at.field_after(pos(), "capacity"),
                format!("link {} has capacity {}, expected 0 to 1000000", k + 1, number(l.capacity)),
            );
        }
    }
    if errors.borrow().is_empty() {
        let parent: Vec<u32> =
            s.teams.iter().map(|t| t.reports_to.as_ref().map(|p| index[p]).unwrap_or(NONE)).collect();
        if let Some(team) = find_cycle(&parent) {
            let name = &s.teams[team].name;
            err(
                at.field_after(at.team(name, team), "reports_to"),
                format!("reporting lines form a cycle through team \"{name}\", expected a hierarchy"),
            );
        } else {
            // What a run would need is known from the hierarchy, the links and the delays alone.
            let slowest = s.links.iter().map(|l| l.delay.max(1)).max().unwrap_or(1);
            let need = MemoryNeed::of(&parent, s.links.len(), slowest, &s.params);
            if need.total() > MEMORY_LIMIT {
                err(at.key("teams", 0), format!("the scene is too large to run: {}", need.explain()));
            }
        }
    }
    let check_entries = |section: &str, entries: &[Entry], from: usize| {
        // A branch's own entries are checked as the timeline's are, each where it is written.
        let mut listed: Vec<(String, usize, &Entry, usize)> = Vec::new();
        let mut branches = 0;
        for (k, e) in entries.iter().enumerate() {
            let pos = at.item_after(from, k);
            listed.push((section.to_string(), k, e, pos));
            if let Entry::Branch { tick, entries: own, .. } = e {
                branches += 1;
                if section == "environment" {
                    err(pos, format!("{section} entry {}: a Branch belongs in a timeline, not the environment", k + 1));
                } else if branches > 1 {
                    err(pos, format!("{section} entry {}: a second Branch, expected at most one a timeline", k + 1));
                }
                let inner = at.field_after(pos, "entries");
                for (j, b) in own.iter().enumerate() {
                    let bpos = at.item_after(inner, j);
                    let here = format!("{section} branch at tick {tick}");
                    if b.tick() < *tick {
                        err(
                            bpos,
                            format!(
                                "{here}, entry {}: tick {} is before the branch, expected {tick} or later",
                                j + 1,
                                b.tick()
                            ),
                        );
                    }
                    if matches!(b, Entry::Branch { .. }) {
                        err(
                            bpos,
                            format!(
                                "{here}, entry {}: a Branch inside a Branch, expected one road to part at a time",
                                j + 1
                            ),
                        );
                    }
                    listed.push((here, j, b, bpos));
                }
            }
        }
        for (section, k, e, position) in listed {
            let section = section.as_str();
            let pos = || position;
            if e.tick() >= s.ticks {
                warn(
                    at.field_after(pos(), "tick"),
                    format!(
                        "{section} entry {}: tick {} is past the scene's last tick ({}), so a run of its {} ticks never reaches it",
                        k + 1,
                        e.tick(),
                        s.ticks.saturating_sub(1),
                        s.ticks
                    ),
                );
            }
            match e {
                Entry::Intervene { kind, strength, on, .. } | Entry::Shock { kind, strength, on, .. } => {
                    if matches!(e, Entry::Shock { .. }) && kind.style() != Style::Shock {
                        err(
                            pos(),
                            format!(
                                "{section} entry {}: {kind:?} is not a shock, expected Drought, Storm, LightShift or Pest (or write Intervene)",
                                k + 1
                            ),
                        );
                    }
                    if !(0.0..=1.0).contains(strength) {
                        err(
                            at.field_after(pos(), "strength"),
                            format!("{section} entry {}: strength {}, expected 0 to 1", k + 1, number(*strength)),
                        );
                    }
                    if let Targets::Teams(names) = on {
                        for name in names {
                            if !index.contains_key(name) {
                                err(
                                    at.string_after(pos(), name),
                                    format!(
                                        "{section} entry {} names team \"{name}\", but no team has that name",
                                        k + 1
                                    ),
                                );
                            }
                        }
                    }
                }
                Entry::Chapter { pace, watch, .. } => {
                    if let Some(pace) = pace
                        && !(CHAPTER_PACES.0..=CHAPTER_PACES.1).contains(pace)
                    {
                        err(
                            at.field_after(pos(), "pace"),
                            format!(
                                "{section} entry {}: pace {pace}, expected {} to {} (the app's speeds)",
                                k + 1,
                                CHAPTER_PACES.0,
                                CHAPTER_PACES.1
                            ),
                        );
                    }
                    for metric in watch {
                        if metric == "tick" || !COLUMNS.contains(&metric.as_str()) {
                            err(
                                at.string_after(pos(), metric),
                                format!(
                                    "{section} entry {}: watch names \"{metric}\", expected a metric: {}",
                                    k + 1,
                                    COLUMNS[1..].join(", ")
                                ),
                            );
                        }
                    }
                }
                Entry::Caption { .. } | Entry::Branch { .. } => {}
            }
        }
    };
    check_entries("environment", &s.environment, at.key_offset("environment"));
    for (name, entries) in &s.timelines {
        check_entries(&format!("timeline \"{name}\""), entries, at.timeline_offset(name));
    }
    if let Some(d) = &s.default_timeline
        && !s.timelines.contains_key(d)
    {
        err(at.key("default_timeline", 0), format!("default_timeline \"{d}\" is not one of the scene's timelines"));
    }
    let errors = errors.into_inner();
    if errors.is_empty() { Ok((index, warnings.into_inner())) } else { Err(SceneErrors(errors)) }
}

/// Writes a scene as RON text.
pub fn to_ron(scene: &Scene) -> Result<String, ron::Error> {
    ron_options().to_string_pretty(scene, ron::ser::PrettyConfig::new().struct_names(true))
}
