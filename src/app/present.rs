//! Presenting: the keys a presenter's clicker and slideshow programs use (next and previous,
//! start and stop presenting, black and white screen), hide the controls (H), projector profile
//! (P), fullscreen (F11), UI scale (Ctrl +/−, remembered between runs), the welcome window, and
//! screenshots named by scene and tick (F12).
//!
//! What clickers send (Logitech R400, R500, R800 and Spotlight, Kensington, generic 2.4 GHz
//! remotes) and what PowerPoint, Keynote and LibreOffice Impress accept: next PageDown, →, ↓,
//! Enter; previous PageUp, ←, ↑, Backspace; start the slideshow F5 or Shift+F5; stop Esc; black
//! screen B or `.`; white screen W or `,`. None of these is an editing key in Understory.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode, WindowPosition};
use bevy_egui::input::egui_wants_any_keyboard_input;
use serde::{Deserialize, Serialize};

use super::palette::ActivePalette;
use super::sim::{Control, Sim};

/// A blanked screen: black (B, `.`) or white (W, `,`), as slideshow programs have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    Black,
    White,
}

/// How the app is being shown.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Presentation {
    /// Editing controls hidden: the forest, captions and a small heads-up display only.
    pub hidden: bool,
    /// The screen is blanked.
    pub blank: Option<Blank>,
    /// The window should fill the screen (F11, or presenting with F5).
    pub fullscreen: bool,
    /// The welcome window is open; the forest waits while it is.
    pub welcome: bool,
    pub settings: Settings,
    /// Where settings are remembered; `None` keeps them for this run only (tests).
    pub settings_file: Option<PathBuf>,
    /// Why the remembered settings could not be used, to tell the user once.
    pub settings_problem: Option<String>,
}

/// What is remembered between runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub ui_scale: f32,
    pub projector: bool,
    /// The welcome window was dismissed for good ("Got it").
    pub welcome_dismissed: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { ui_scale: 1.0, projector: false, welcome_dismissed: false }
    }
}

pub const MIN_UI_SCALE: f32 = 0.5;
pub const MAX_UI_SCALE: f32 = 3.0;

impl Presentation {
    /// Reads remembered settings from `file`: the defaults when it is missing, and when it cannot
    /// be read or understood (then `settings_problem` says why, and the file is left as it is
    /// until a setting changes).
    pub fn load(file: Option<PathBuf>) -> Self {
        let (settings, problem) = match file.as_ref().map(|f| (f, std::fs::read_to_string(f))) {
            None => (Settings::default(), None),
            Some((_, Err(e))) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Some((f, Err(e))) => (Settings::default(), Some(format!("{}: cannot read: {e}", f.display()))),
            Some((f, Ok(text))) => match ron::from_str::<Settings>(&text) {
                Ok(settings) => (settings, None),
                Err(e) => (
                    Settings::default(),
                    Some(format!(
                        "{}:{}:{}: {}; using the default settings",
                        f.display(),
                        e.span.start.line,
                        e.span.start.col,
                        e.code
                    )),
                ),
            },
        };
        let settings = Settings {
            ui_scale: if settings.ui_scale.is_finite() {
                settings.ui_scale.clamp(MIN_UI_SCALE, MAX_UI_SCALE)
            } else {
                1.0
            },
            ..settings
        };
        Self {
            hidden: false,
            blank: None,
            fullscreen: false,
            // Only a real session, with settings to remember, is greeted (not tests or recordings).
            welcome: file.is_some() && !settings.welcome_dismissed,
            settings,
            settings_file: file,
            settings_problem: problem,
        }
    }

    /// Back to the default settings (and remembers that).
    pub fn reset_settings(&mut self) {
        self.settings = Settings::default();
        self.settings_problem = None;
        self.remember();
    }

    /// Closes the welcome window; `for_good` remembers not to open it on the next launch.
    pub fn close_welcome(&mut self, for_good: bool) {
        self.welcome = false;
        if for_good && !self.settings.welcome_dismissed {
            self.settings.welcome_dismissed = true;
            self.remember();
        }
    }

    /// Presenting: controls hidden, full screen (a clicker's slideshow key).
    pub fn start_presenting(&mut self) {
        self.hidden = true;
        self.fullscreen = true;
        self.welcome = false;
    }

    pub fn stop_presenting(&mut self) {
        self.hidden = false;
        self.fullscreen = false;
        self.blank = None;
    }

    fn remember(&self) {
        let Some(file) = &self.settings_file else { return };
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = ron::to_string(&self.settings)
            && let Err(e) = std::fs::write(file, text)
        {
            warn!("cannot remember settings in {}: {e}", file.display());
        }
    }

    pub fn set_projector(&mut self, on: bool) {
        self.settings.projector = on;
        self.remember();
    }

    pub fn scale_by(&mut self, factor: f32) {
        self.settings.ui_scale = (self.settings.ui_scale * factor).clamp(MIN_UI_SCALE, MAX_UI_SCALE);
        self.remember();
    }
}

/// Where settings live: `$XDG_CONFIG_HOME/understory/settings.ron` or `~/.config/understory/settings.ron`.
pub fn settings_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("understory").join("settings.ron"))
}

/// Save the window as a PNG named after the scene and tick.
#[derive(Message, Debug, Clone, Copy)]
pub struct SaveScreenshot;

/// Presentation keys; needs `Presentation` and the sim. Works without a window (tests).
pub fn plugin(app: &mut App) {
    app.add_message::<SaveScreenshot>()
        .add_message::<ClearSelection>()
        .add_systems(Update, presenter_keys.run_if(not(egui_wants_any_keyboard_input)).in_set(super::AppSystems::Input))
        .add_systems(Update, (hold_while_welcome, apply_fullscreen, fit_to_monitor, save_screenshots))
        .init_resource::<ActivePalette>()
        .add_systems(Update, follow_profile.in_set(super::AppSystems::Clock))
        .add_systems(PostUpdate, apply_clear_colour);
}

/// Escape outside presenting and the welcome window: forget the selection (the view listens).
#[derive(Message, Debug, Clone, Copy)]
pub struct ClearSelection;

/// Keys a clicker sends for "next".
pub const NEXT_KEYS: [KeyCode; 5] =
    [KeyCode::PageDown, KeyCode::ArrowRight, KeyCode::ArrowDown, KeyCode::Enter, KeyCode::NumpadEnter];
/// Keys a clicker sends for "previous".
pub const PREVIOUS_KEYS: [KeyCode; 4] = [KeyCode::PageUp, KeyCode::ArrowLeft, KeyCode::ArrowUp, KeyCode::Backspace];

fn presenter_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut presentation: ResMut<Presentation>,
    mut controls: MessageWriter<Control>,
    mut screenshots: MessageWriter<SaveScreenshot>,
    mut clear: MessageWriter<ClearSelection>,
    prediction: Option<Res<super::predict::Prediction>>,
) {
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    // A prediction card on show takes "next" (to reveal) and Esc (to put it away).
    // Whether its own keys ran before or after this system this frame, a card that asks or
    // is revealing keeps "next" from also moving the story on.
    let card = prediction.as_ref().is_some_and(|p| p.card.is_some());
    let holds_next = prediction
        .as_ref()
        .and_then(|p| p.card.as_ref())
        .is_some_and(|c| matches!(c.phase, super::predict::Phase::Asking | super::predict::Phase::Running));
    let next = keys.any_just_pressed(NEXT_KEYS) && !holds_next;
    let previous = keys.any_just_pressed(PREVIOUS_KEYS);
    let slideshow = keys.just_pressed(KeyCode::F5);
    let escape = keys.just_pressed(KeyCode::Escape) && !card;
    let black = !ctrl && keys.any_just_pressed([KeyCode::KeyB, KeyCode::Period]);
    let white = !ctrl && keys.any_just_pressed([KeyCode::KeyW, KeyCode::Comma]);
    // Any clicker key, or Space (play), first closes the welcome window, and does nothing else;
    // the forest then goes on as it was (playing, unless paused before).
    let space = keys.just_pressed(KeyCode::Space);
    if presentation.welcome && (next || previous || slideshow || escape || black || white || space) {
        presentation.close_welcome(false);
        return;
    }
    // A blanked screen comes back with the key that blanked it, or with any next, previous or Esc
    // (which then does nothing more: the room sees the forest again before it moves on).
    if let Some(blank) = presentation.blank {
        let same = matches!(blank, Blank::Black) && black || matches!(blank, Blank::White) && white;
        if same || next || previous || escape {
            presentation.blank = None;
            return;
        }
    }
    if black {
        presentation.blank = Some(Blank::Black);
    }
    if white {
        presentation.blank = Some(Blank::White);
    }
    if slideshow {
        presentation.start_presenting();
    }
    if escape {
        if presentation.hidden || presentation.fullscreen {
            presentation.stop_presenting();
        } else {
            clear.write(ClearSelection);
        }
    }
    if keys.just_pressed(KeyCode::KeyH) && !ctrl {
        presentation.hidden = !presentation.hidden;
    }
    if keys.just_pressed(KeyCode::KeyP) && !ctrl {
        let on = !presentation.settings.projector;
        presentation.set_projector(on);
    }
    if keys.just_pressed(KeyCode::F11) {
        presentation.fullscreen = !presentation.fullscreen;
    }
    if ctrl && keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        presentation.scale_by(1.1);
    }
    if ctrl && keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        presentation.scale_by(1.0 / 1.1);
    }
    if next {
        controls.write(Control::NextChapter);
    }
    if previous {
        controls.write(Control::PreviousChapter);
    }
    if keys.just_pressed(KeyCode::F12) {
        screenshots.write(SaveScreenshot);
    }
}

/// The forest waits while the welcome window is open: the clock is asked to hold.
fn hold_while_welcome(presentation: Res<Presentation>, mut holding: Local<bool>, mut controls: MessageWriter<Control>) {
    if presentation.welcome != *holding {
        *holding = presentation.welcome;
        controls.write(Control::Hold(*holding));
    }
}

/// An interactive window is never larger than its monitor: fitted, centred, once the monitor is
/// known. (Screenshots and recordings keep the size they were asked for.)
#[derive(Resource, Debug, Clone, Copy)]
pub struct FitToMonitor {
    pub done: bool,
    /// The size was typed (`--size`): keep it whenever the monitor holds it. The default size
    /// also leaves room for a window manager's bars and frame.
    pub chosen: bool,
}

fn fit_to_monitor(
    fit: Option<ResMut<FitToMonitor>>,
    monitors: Query<(&bevy::window::Monitor, Has<bevy::window::PrimaryMonitor>)>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    let Some(mut fit) = fit else { return };
    if fit.done {
        return;
    }
    let Some((monitor, _)) = monitors.iter().max_by_key(|(_, primary)| *primary) else { return };
    let Ok(mut window) = windows.single_mut() else { return };
    fit.done = true;
    let (mw, mh) = (monitor.physical_width, monitor.physical_height);
    if mw == 0 || mh == 0 {
        return;
    }
    let (w, h) = (window.resolution.physical_width(), window.resolution.physical_height());
    let (max_w, max_h) = if fit.chosen { (mw, mh) } else { (mw * 19 / 20, mh * 9 / 10) };
    if w > max_w || h > max_h {
        let (nw, nh) = (w.min(max_w), h.min(max_h));
        window.resolution.set_physical_resolution(nw, nh);
        window.position =
            WindowPosition::At(monitor.physical_position + IVec2::new(((mw - nw) / 2) as i32, ((mh - nh) / 2) as i32));
    }
}

fn apply_fullscreen(presentation: Res<Presentation>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    let Ok(mut window) = windows.single_mut() else { return };
    let full = !matches!(window.mode, WindowMode::Windowed);
    if presentation.fullscreen != full {
        window.mode = if presentation.fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Current)
        } else {
            WindowMode::Windowed
        };
    }
}

/// The palette follows the projector profile, whoever switched it (P, the settings, a reset).
fn follow_profile(presentation: Res<Presentation>, mut palette: ResMut<ActivePalette>) {
    let wanted = ActivePalette::for_projector(presentation.settings.projector);
    if !std::ptr::eq(palette.0, wanted.0) {
        *palette = wanted;
    }
}

fn apply_clear_colour(clear: Option<ResMut<ClearColor>>, palette: Res<ActivePalette>) {
    let Some(mut clear) = clear else { return };
    let wanted: Color = palette.0.sky_top.into();
    if clear.0 != wanted {
        clear.0 = wanted;
    }
}

/// A file name piece from a scene name: lowercase letters, digits and dashes.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "scene".into() } else { out }
}

fn save_screenshots(mut requests: MessageReader<SaveScreenshot>, mut commands: Commands, sim: Res<Sim>) {
    if requests.read().count() == 0 {
        return;
    }
    let dir = PathBuf::from("screenshots");
    let path = dir.join(format!("{}-seed{}-tick{:06}.png", slug(sim.scene_name()), sim.seed, sim.forest.tick));
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut sim: ResMut<Sim>| {
            let saved = std::fs::create_dir_all(&dir).map_err(|e| e.to_string()).and_then(|()| {
                captured
                    .image
                    .clone()
                    .try_into_dynamic()
                    .map_err(|e| e.to_string())
                    .and_then(|img| img.to_rgb8().save(&path).map_err(|e| e.to_string()))
            });
            sim.notice = Some(match saved {
                Ok(()) => {
                    format!("Screenshot saved to {}", std::path::absolute(&path).unwrap_or(path.clone()).display())
                }
                Err(e) => format!("Screenshot not saved: {}: {e}", path.display()),
            });
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_settings_are_ignored_with_a_notice_and_can_be_reset() {
        let dir = std::env::temp_dir().join(format!("understory-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("settings.ron");
        std::fs::write(&file, "(ui_scale: 2.0, projector: tru").expect("write");
        let mut p = Presentation::load(Some(file.clone()));
        assert_eq!(p.settings, Settings::default(), "a corrupt file gives the defaults");
        let problem = p.settings_problem.clone().expect("and says so");
        assert!(problem.contains("settings.ron:1:"), "{problem}");
        assert!(p.welcome, "a real session is greeted");
        p.reset_settings();
        assert!(p.settings_problem.is_none());
        let again = Presentation::load(Some(file.clone()));
        assert_eq!(again.settings, Settings::default());
        assert!(again.settings_problem.is_none(), "the reset wrote good settings");
        // A missing file is no problem; an absurd scale is clamped.
        std::fs::write(&file, "(ui_scale: 1e9)").expect("write");
        assert_eq!(Presentation::load(Some(file.clone())).settings.ui_scale, MAX_UI_SCALE);
        assert!(Presentation::load(Some(dir.join("none.ron"))).settings_problem.is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("A company in a changing market"), "a-company-in-a-changing-market");
        assert_eq!(slug("  Ünïcode / stuff!! "), "n-code-stuff");
        assert_eq!(slug("***"), "scene");
    }
}
