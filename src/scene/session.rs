//! Saved sessions: a scene plus one timeline holding what the scene's timeline did and what the user did.
//!
//! Opening the saved file replays the session exactly: same seed, same interventions at the same
//! ticks, in the same order the live session applied them.

use crate::model::{Intervention, Selection, Style};

use super::{Entry, LoadedScene, Scene, Targets};

/// The timeline name a saved session gets.
pub const SESSION_TIMELINE: &str = "session";

/// Builds the scene to save: the scene's own timeline `base` (if any), then the user's interventions.
///
/// Within a tick the live session applies the timeline's entries first and the user's after them;
/// entries are sorted stably by tick on loading, so writing them in that order keeps it.
pub fn session_scene(
    loaded: &LoadedScene,
    base: Option<&str>,
    seed: u64,
    user: &[(u64, Intervention)],
    team_names: &[String],
) -> Scene {
    let mut scene = loaded.scene.clone();
    let mut entries: Vec<Entry> = base.and_then(|b| scene.timelines.get(b)).cloned().unwrap_or_default();
    entries.extend(user.iter().map(|(tick, iv)| entry(*tick, iv, team_names)));
    let mut name = SESSION_TIMELINE.to_string();
    let mut n = 2;
    while base != Some(name.as_str()) && scene.timelines.contains_key(&name) {
        name = format!("{SESSION_TIMELINE}-{n}");
        n += 1;
    }
    scene.timelines.insert(name.clone(), entries);
    scene.default_timeline = Some(name);
    scene.seed = seed;
    scene
}

fn entry(tick: u64, iv: &Intervention, names: &[String]) -> Entry {
    let on = match &iv.on {
        Selection::All => Targets::All,
        Selection::Trees(trees) => {
            Targets::Teams(trees.iter().filter_map(|&t| names.get(t as usize).cloned()).collect())
        }
    };
    let (kind, strength, duration) = (iv.kind, iv.strength, iv.duration);
    if iv.kind.style() == Style::Shock {
        Entry::Shock { tick, kind, strength, duration, on }
    } else {
        Entry::Intervene { tick, kind, strength, duration, on }
    }
}

/// Adds a branch to a saved session's timeline, so that opening the file forks where the live
/// session forked and replays both roads: `entries` are what the branch followed from `at` (its
/// timeline's entries as taken up there), `user` the interventions sent to the branch. Where
/// the branch is the session's timeline's own (`scripted`), the user's are added to its entries.
pub fn with_branch(
    scene: &mut Scene,
    at: u64,
    label: &str,
    entries: Vec<Entry>,
    user: &[(u64, Intervention)],
    team_names: &[String],
    scripted: bool,
) {
    let Some(name) = scene.default_timeline.clone() else { return };
    let Some(timeline) = scene.timelines.get_mut(&name) else { return };
    let sent = user.iter().map(|(tick, iv)| entry(*tick, iv, team_names));
    // A branch asked for from the UI replaces the timeline's own, even at the same tick.
    let scripted = timeline.iter_mut().find_map(|e| match e {
        Entry::Branch { tick, entries, .. } if scripted && *tick == at => Some(entries),
        _ => None,
    });
    match scripted {
        Some(own) => own.extend(sent),
        None => {
            timeline.retain(|e| !matches!(e, Entry::Branch { .. }));
            timeline.push(Entry::Branch {
                tick: at,
                label: label.to_string(),
                entries: entries.into_iter().chain(sent).collect(),
            });
        }
    }
}
