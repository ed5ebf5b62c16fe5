//! Side by side: a second forest from the same scene and seed following another timeline, kept on
//! the main forest's clock, receiving the same interventions from the UI.

use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;

use super::sim::{Control, Sim};

/// The right-hand forest of a comparison.
#[derive(Resource)]
pub struct Twin {
    pub sim: Sim,
    /// The metric whose difference is plotted.
    pub metric: String,
    /// Session entries of the main forest already passed on.
    passed_on: usize,
}

impl Twin {
    /// A forest like `main`'s at tick 0, following `timeline`.
    pub fn of(main: &Sim, timeline: &str, metric: &str) -> Result<Self, String> {
        let mut sim = Sim::new(main.loaded.clone(), None, Some(timeline.to_string()), Some(main.seed))?;
        sim.driven = true;
        Ok(Self { sim, metric: metric.to_string(), passed_on: 0 })
    }

    pub fn timeline(&self) -> &str {
        self.sim.timeline_name.as_deref().unwrap_or("(none)")
    }
}

/// Start or stop a comparison: `Some(timeline)` shows that timeline on the right.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Compare(pub Option<String>);

pub fn plugin(app: &mut App) {
    app.add_message::<Compare>()
        .add_systems(Update, toggle_key.run_if(not(egui_wants_any_keyboard_input)))
        // In Update, after the model has advanced (fixed step or recorder) and before anything draws.
        .add_systems(Update, (start_or_stop, keep_in_step).chain());
}

/// V: compare with the scene's first other timeline, or stop comparing.
fn toggle_key(
    keys: Res<ButtonInput<KeyCode>>,
    sim: Res<Sim>,
    twin: Option<Res<Twin>>,
    mut compare: MessageWriter<Compare>,
) {
    if !keys.just_pressed(KeyCode::KeyV) {
        return;
    }
    if twin.is_some() {
        compare.write(Compare(None));
        return;
    }
    let other = sim.loaded.scene.timelines.keys().find(|t| Some(*t) != sim.timeline_name.as_ref()).cloned();
    if let Some(t) = other {
        compare.write(Compare(Some(t)));
    }
}

fn start_or_stop(
    mut commands: Commands,
    mut requests: MessageReader<Compare>,
    mut sim: ResMut<Sim>,
    twin: Option<Res<Twin>>,
    mut controls: MessageWriter<Control>,
) {
    let Some(Compare(wanted)) = requests.read().last().cloned() else { return };
    match wanted {
        None => commands.remove_resource::<Twin>(),
        Some(timeline) => {
            let metric = twin.map(|t| t.metric.clone()).unwrap_or_else(|| "vitality".into());
            match Twin::of(&sim, &timeline, &metric) {
                Ok(twin) => {
                    commands.insert_resource(twin);
                    // Both start together from tick 0, on one clock.
                    controls.write(Control::Reset);
                }
                Err(e) => sim.error = Some(e),
            }
        }
    }
}

/// Brings the twin to the main forest's tick, passing on the user's interventions at their ticks.
/// When the main forest starts again (reset, new seed, a chapter back, another scene), so does the twin.
pub(super) fn keep_in_step(mut commands: Commands, sim: Res<Sim>, twin: Option<ResMut<Twin>>) {
    let Some(mut twin) = twin else { return };
    let restarted = twin.sim.forest.tick > sim.forest.tick
        || twin.sim.seed != sim.seed
        || twin.sim.loaded.file != sim.loaded.file
        || twin.sim.loaded.scene != sim.loaded.scene
        || twin.passed_on > sim.session.len();
    if restarted {
        let timeline = twin.timeline().to_string();
        if !sim.loaded.scene.timelines.contains_key(&timeline) {
            commands.remove_resource::<Twin>();
            return;
        }
        match Twin::of(&sim, &timeline, &twin.metric) {
            Ok(fresh) => *twin = fresh,
            Err(_) => {
                commands.remove_resource::<Twin>();
                return;
            }
        }
    }
    let twin = &mut *twin;
    while twin.sim.forest.tick < sim.forest.tick {
        let now = twin.sim.forest.tick;
        while let Some((tick, iv)) = sim.session.get(twin.passed_on) {
            if *tick > now {
                break;
            }
            twin.sim.queue(iv.clone());
            twin.passed_on += 1;
        }
        twin.sim.tick();
    }
    twin.sim.video_time = sim.video_time;
    twin.sim.playing = sim.playing;
}
