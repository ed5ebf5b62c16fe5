//! Two forests at once: side by side, a second forest from the same scene and seed following
//! another timeline from tick 0 (V); or a branch (Y, a fork), the running forest forked here onto
//! another timeline's road. Both step on the main forest's clock (src/app/sim.rs); this file
//! only asks for them.

use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;

use super::AppSystems;
pub use super::sim::Twin;
use super::sim::{Control, Road, Sim};

/// Start or stop a comparison: `Some(timeline)` shows that timeline on the right.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Compare(pub Option<String>);

pub fn plugin(app: &mut App) {
    app.add_message::<Compare>()
        .add_systems(Update, keys.run_if(not(egui_wants_any_keyboard_input)).in_set(AppSystems::Input))
        .add_systems(Update, start_or_stop.in_set(AppSystems::Input).after(keys));
}

/// V: compare with the scene's first other timeline, or stop comparing. Y: branch here onto the
/// scene's first other timeline, or, on a branch, stop showing it.
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    sim: Res<Sim>,
    twins: Query<&Twin>,
    mut compare: MessageWriter<Compare>,
    mut controls: MessageWriter<Control>,
) {
    let twin = twins.iter().next();
    let other = || sim.loaded.scene.timelines.keys().find(|t| Some(*t) != sim.timeline_name.as_ref()).cloned();
    if keys.just_pressed(KeyCode::KeyV) {
        match (twin, other()) {
            (Some(_), _) => {
                compare.write(Compare(None));
            }
            (None, Some(t)) => {
                compare.write(Compare(Some(t)));
            }
            (None, None) => {}
        }
    }
    if keys.just_pressed(KeyCode::KeyY) {
        match twin.map(|t| t.road) {
            Some(Road::Branch { .. }) => {
                compare.write(Compare(None));
            }
            _ => {
                controls.write(Control::Branch(None));
            }
        }
    }
}

fn start_or_stop(
    mut commands: Commands,
    mut requests: MessageReader<Compare>,
    sim: Res<Sim>,
    twins: Query<(Entity, &Twin)>,
    mut controls: MessageWriter<Control>,
) {
    let Some(Compare(wanted)) = requests.read().last().cloned() else { return };
    // One forest beside the main one at a time: whatever was there goes.
    let metric = twins.iter().next().map(|(_, t)| t.metric.clone());
    for (entity, _) in &twins {
        commands.entity(entity).despawn();
    }
    match wanted {
        None => {
            if sim.branch_plan.is_some() {
                controls.write(Control::Unbranch);
            }
        }
        Some(timeline) => {
            let metric = metric.unwrap_or_else(|| "vitality".into());
            match Twin::of(&sim, &timeline, &metric) {
                Ok(twin) => {
                    commands.spawn(twin);
                    // Both start together from tick 0, on one clock.
                    controls.write(Control::Reset);
                }
                Err(e) => {
                    controls.write(Control::ShowError(e));
                }
            }
        }
    }
}
