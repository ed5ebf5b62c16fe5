//! Mouse and keyboard on the forest view: pan, zoom, pick and box-select trees, time keys.
//!
//! Keys only act when no text field has focus; the mouse only when it is over the forest, not a
//! panel. None of these keys is one a presenter's clicker sends (see `present.rs`): step is S,
//! zoom + and −, pan A and D, G draws the other forest as a ghost over this one.

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::{egui_wants_any_keyboard_input, egui_wants_any_pointer_input};

use super::AppSystems;
use super::layout::{ViewState, in_span, pick, split};
use super::present::ClearSelection;
use super::sim::{Control, SPEEDS, Sim};
use super::view::Shapes;

/// Pixels the pointer may move before a press becomes a drag.
const DRAG_THRESHOLD: f32 = 4.0;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            time_keys.run_if(not(egui_wants_any_keyboard_input)),
            view_keys.run_if(not(egui_wants_any_keyboard_input)),
            mouse.run_if(not(egui_wants_any_pointer_input)),
        )
            .in_set(AppSystems::Input),
    );
}

fn time_keys(keys: Res<ButtonInput<KeyCode>>, sim: Res<Sim>, mut controls: MessageWriter<Control>) {
    // While the welcome window holds the clock, Space only closes it (`present.rs`), and the
    // forest then plays: toggling here as well would leave it paused.
    if keys.just_pressed(KeyCode::Space) && !sim.clock.held() {
        controls.write(Control::TogglePlay);
    }
    if keys.just_pressed(KeyCode::KeyS) {
        controls.write(Control::Step);
    }
    let at = SPEEDS.iter().position(|&s| s >= sim.clock.speed()).unwrap_or(0);
    if keys.just_pressed(KeyCode::BracketRight) && at + 1 < SPEEDS.len() {
        controls.write(Control::Speed(SPEEDS[at + 1]));
    }
    if keys.just_pressed(KeyCode::BracketLeft) && at > 0 {
        controls.write(Control::Speed(SPEEDS[at - 1]));
    }
}

fn view_keys(
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time<Real>>,
    mut view: ResMut<ViewState>,
    mut clear: MessageReader<ClearSelection>,
) {
    let pan = 700.0 * time.delta_secs();
    if keys.just_pressed(KeyCode::KeyG) {
        view.ghost = !view.ghost;
    }
    if keys.pressed(KeyCode::KeyA) {
        view.pan_pixels(pan);
    }
    if keys.pressed(KeyCode::KeyD) {
        view.pan_pixels(-pan);
    }
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    let anchor = view.rect.center().x;
    let zoom = (1.0 + 2.0 * time.delta_secs_f64()).max(1.0);
    // Ctrl with + and − scales the UI instead (present.rs).
    if !ctrl && keys.any_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        view.zoom_at(zoom, anchor);
    }
    if !ctrl && keys.any_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        view.zoom_at(1.0 / zoom, anchor);
    }
    if keys.just_pressed(KeyCode::Home) || keys.just_pressed(KeyCode::Digit0) {
        view.zoom = 1.0;
        view.clamp_center();
    }
    if clear.read().count() > 0 {
        view.selected.clear();
        view.focus = None;
    }
}

/// Where the left button went down, to tell a click from a drag.
#[derive(Default)]
struct Press {
    at: Option<Vec2>,
}

#[allow(clippy::too_many_arguments)]
fn mouse(
    window: Single<&Window, With<PrimaryWindow>>,
    buttons: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    scroll: Res<AccumulatedMouseScroll>,
    motion: Res<AccumulatedMouseMotion>,
    shapes: Res<Shapes>,
    sim: Res<Sim>,
    twins: Query<&super::compare::Twin>,
    mut view: ResMut<ViewState>,
    mut press: Local<Press>,
) {
    let Some(cursor) = window.cursor_position() else { return };
    let inside = view.rect.contains(cursor);
    if inside && scroll.delta.y != 0.0 {
        let lines = match scroll.unit {
            MouseScrollUnit::Line => scroll.delta.y,
            MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
        };
        view.zoom_at(1.15f64.powf(lines as f64), cursor.x);
    }
    if (buttons.pressed(MouseButton::Right) || buttons.pressed(MouseButton::Middle)) && inside {
        view.pan_pixels(motion.delta.x);
    }
    let adding = keys.pressed(KeyCode::ShiftLeft) || keys.pressed(KeyCode::ShiftRight);
    let toggling = keys.pressed(KeyCode::ControlLeft) || keys.pressed(KeyCode::ControlRight);
    if buttons.just_pressed(MouseButton::Left) && inside {
        press.at = Some(cursor);
    }
    let Some(start) = press.at else { return };
    if buttons.pressed(MouseButton::Left) {
        if start.distance(cursor) > DRAG_THRESHOLD {
            view.dragging = Some((start, cursor));
        }
        return;
    }
    // Released.
    press.at = None;
    if let Some((a, z)) = view.dragging.take() {
        // Comparing, the forest you select on is the left one.
        let trees = if !twins.is_empty() && !view.ghost {
            in_span(&sim.forest, &split(&view).0, a.x, z.x)
        } else {
            in_span(&sim.forest, &view, a.x, z.x)
        };
        if !adding && !toggling {
            view.selected.clear();
        }
        for t in trees {
            if !view.selected.contains(&t) {
                view.selected.push(t);
            }
        }
        return;
    }
    match pick(&shapes.0, cursor) {
        Some(tree) => {
            view.focus = Some(tree);
            let at = view.selected.iter().position(|&t| t == tree);
            if toggling {
                match at {
                    Some(k) => {
                        view.selected.remove(k);
                    }
                    None => view.selected.push(tree),
                }
            } else if adding {
                if at.is_none() {
                    view.selected.push(tree);
                }
            } else {
                view.selected = vec![tree];
            }
        }
        None if !adding && !toggling => {
            view.selected.clear();
            view.focus = None;
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::SimPlugin;
    use crate::scene::LoadedScene;

    fn app() -> App {
        let sim = Sim::new(LoadedScene::builtin_default(), None, None, None).expect("the default scene starts");
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .add_plugins(SimPlugin::new(sim))
            .init_resource::<ButtonInput<KeyCode>>()
            .add_systems(Update, time_keys.in_set(AppSystems::Input));
        app.update();
        app
    }

    fn press_space(app: &mut App) {
        app.world_mut().resource_mut::<ButtonInput<KeyCode>>().press(KeyCode::Space);
        app.update();
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        keys.release(KeyCode::Space);
        keys.clear();
        app.update();
    }

    fn playing(app: &App) -> bool {
        app.world().resource::<Sim>().clock.playing()
    }

    #[test]
    fn space_toggles_play_except_while_the_welcome_window_holds_the_clock() {
        let mut app = app();
        assert!(playing(&app));
        press_space(&mut app);
        assert!(!playing(&app), "Space pauses");
        press_space(&mut app);
        assert!(playing(&app), "and plays again");
        app.world_mut().write_message(Control::Hold(true));
        app.update();
        press_space(&mut app);
        assert!(playing(&app), "held, Space leaves play alone: it closes the welcome window instead");
    }
}
