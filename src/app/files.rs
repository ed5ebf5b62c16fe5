//! Files the user opens in the app: chosen in the desktop's file dialog ("Open file…" in the
//! scene menu, or Ctrl+O), or dropped on the window. Either opens as if its path were typed in the scene menu: a scene, or
//! an org chart or network imported on the fly.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use bevy::prelude::*;

use super::AppSystems;
use super::sim::Control;

/// Ask the desktop's file dialog for a file to open.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickFile;

/// Extensions the dialog offers: scenes, and what `import` reads.
pub const OPENED: [&str; 7] = ["ron", "csv", "tsv", "txt", "graphml", "gexf", "xml"];

/// A dialog that answers None faster than this was never shown (no desktop portal, as under a
/// virtual display), rather than cancelled by a person.
const NO_DIALOG: Duration = Duration::from_millis(250);

/// What the dialog answered (the file, if one was chosen) and how long it was open.
type Answer = (Option<PathBuf>, Duration);

/// The dialog on show, if one is: where its answer will arrive.
#[derive(Resource, Default)]
struct Picking(Option<Mutex<Receiver<Answer>>>);

pub fn plugin(app: &mut App) {
    app.add_message::<PickFile>().init_resource::<Picking>().add_systems(
        Update,
        (
            open_key.run_if(not(bevy_egui::input::egui_wants_any_keyboard_input)),
            dropped_files,
            start_picking,
            finish_picking,
        )
            .chain()
            .in_set(AppSystems::Input),
    );
}

/// Ctrl+O, as on every desktop: the file dialog.
fn open_key(keys: Option<Res<ButtonInput<KeyCode>>>, mut pick: MessageWriter<PickFile>) {
    let Some(keys) = keys else { return };
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight, KeyCode::SuperLeft, KeyCode::SuperRight]);
    if ctrl && keys.just_pressed(KeyCode::KeyO) {
        pick.write(PickFile);
    }
}

/// A file dropped on the window opens.
fn dropped_files(mut drops: MessageReader<bevy::window::FileDragAndDrop>, mut controls: MessageWriter<Control>) {
    for drop in drops.read() {
        if let bevy::window::FileDragAndDrop::DroppedFile { path_buf, .. } = drop {
            controls.write(Control::Open(path_buf.clone()));
        }
    }
}

fn dialog() -> Answer {
    let started = Instant::now();
    let picked = rfd::FileDialog::new()
        .set_title("Open a scene, an org chart or a network")
        .add_filter("Scenes, org charts and networks", &OPENED)
        .pick_file();
    (picked, started.elapsed())
}

/// Opens the dialog off the app's thread, so the forest keeps drawing while it is open (on
/// macOS dialogs must run on the main thread: there the app waits for it).
fn start_picking(mut asks: MessageReader<PickFile>, mut picking: ResMut<Picking>) {
    if asks.read().last().is_none() || picking.0.is_some() {
        return;
    }
    let (answer, receive) = channel();
    if cfg!(target_os = "macos") {
        let _ = answer.send(dialog());
    } else {
        std::thread::spawn(move || {
            let _ = answer.send(dialog());
        });
    }
    picking.0 = Some(Mutex::new(receive));
}

fn finish_picking(mut picking: ResMut<Picking>, mut controls: MessageWriter<Control>) {
    let Some(receive) = &picking.0 else { return };
    let answer = match receive.lock() {
        Ok(receive) => receive.try_recv(),
        Err(_) => Err(TryRecvError::Disconnected),
    };
    match answer {
        Ok((Some(path), _)) => {
            controls.write(Control::Open(path));
            picking.0 = None;
        }
        Ok((None, took)) => {
            if took < NO_DIALOG {
                controls.write(Control::Notice(
                    "No file dialog on this desktop: type the file's path in the scene menu, or drop the file on the window"
                        .into(),
                ));
            }
            picking.0 = None;
        }
        Err(TryRecvError::Empty) => {}
        Err(TryRecvError::Disconnected) => picking.0 = None,
    }
}
