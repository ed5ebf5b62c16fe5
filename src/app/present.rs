//! Presenting: hide the controls (H), blank the screen (B), projector profile (P), fullscreen (F11),
//! UI scale (Ctrl +/−, remembered between runs), chapters from a clicker (PageDown/PageUp, →/←),
//! and screenshots named by scene and tick (F12).

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::{MonitorSelection, PrimaryWindow, WindowMode};
use bevy_egui::input::egui_wants_any_keyboard_input;
use serde::{Deserialize, Serialize};

use super::palette;
use super::sim::{Control, Sim};

/// How the app is being shown.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Presentation {
    /// Editing controls hidden: the forest, captions and a small heads-up display only.
    pub hidden: bool,
    /// The screen is blank (a clicker's blank key).
    pub blank: bool,
    pub settings: Settings,
    /// Where settings are remembered; `None` keeps them for this run only (tests).
    pub settings_file: Option<PathBuf>,
}

/// What is remembered between runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub ui_scale: f32,
    pub projector: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { ui_scale: 1.0, projector: false }
    }
}

pub const MIN_UI_SCALE: f32 = 0.5;
pub const MAX_UI_SCALE: f32 = 3.0;

impl Presentation {
    /// Reads remembered settings from `file` (defaults when it is missing or unreadable).
    pub fn load(file: Option<PathBuf>) -> Self {
        let settings = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|text| ron::from_str::<Settings>(&text).ok())
            .unwrap_or_default();
        let settings = Settings { ui_scale: settings.ui_scale.clamp(MIN_UI_SCALE, MAX_UI_SCALE), ..settings };
        palette::set_projector(settings.projector);
        Self { hidden: false, blank: false, settings, settings_file: file }
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
        palette::set_projector(on);
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
        .add_systems(Update, presenter_keys.run_if(not(egui_wants_any_keyboard_input)))
        .add_systems(Update, (fullscreen_key.run_if(not(egui_wants_any_keyboard_input)), save_screenshots))
        .add_systems(PostUpdate, apply_clear_colour);
}

fn presenter_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut presentation: ResMut<Presentation>,
    mut controls: MessageWriter<Control>,
    mut screenshots: MessageWriter<SaveScreenshot>,
) {
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    if keys.just_pressed(KeyCode::KeyH) && !ctrl {
        presentation.hidden = !presentation.hidden;
    }
    if keys.just_pressed(KeyCode::KeyB) && !ctrl {
        presentation.blank = !presentation.blank;
    }
    if keys.just_pressed(KeyCode::KeyP) && !ctrl {
        let on = !presentation.settings.projector;
        presentation.set_projector(on);
    }
    if ctrl && keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        presentation.scale_by(1.1);
    }
    if ctrl && keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        presentation.scale_by(1.0 / 1.1);
    }
    if keys.any_just_pressed([KeyCode::PageDown, KeyCode::ArrowRight]) {
        controls.write(Control::NextChapter);
    }
    if keys.any_just_pressed([KeyCode::PageUp, KeyCode::ArrowLeft]) {
        controls.write(Control::PreviousChapter);
    }
    if keys.just_pressed(KeyCode::F12) {
        screenshots.write(SaveScreenshot);
    }
}

fn fullscreen_key(keys: Res<ButtonInput<KeyCode>>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    let Ok(mut window) = windows.single_mut() else { return };
    if keys.just_pressed(KeyCode::F11) {
        window.mode = match window.mode {
            WindowMode::Windowed => WindowMode::BorderlessFullscreen(MonitorSelection::Current),
            _ => WindowMode::Windowed,
        };
    }
}

fn apply_clear_colour(clear: Option<ResMut<ClearColor>>) {
    let Some(mut clear) = clear else { return };
    let wanted: Color = palette::get().sky_top.into();
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
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("A company in a changing market"), "a-company-in-a-changing-market");
        assert_eq!(slug("  Ünïcode / stuff!! "), "n-code-stuff");
        assert_eq!(slug("***"), "scene");
    }
}
