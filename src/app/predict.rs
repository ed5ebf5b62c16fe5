//! The room predicts before the reveal: with two forests on show (a branch or a comparison), a
//! card asks "in N ticks, which forest has more of this?", counts the room's hands, lets the
//! forests run to the horizon, and shows the prediction beside what happened.
//!
//! The card's state ([`Prediction`]) changes only through [`Predict`] messages, so answers
//! could come from participants' phones as well as from the keys: Q asks, 1 / 2 / 3 add a hand
//! to an answer, a clicker's "next" reveals, Q again or Esc puts the card away. Each outcome is
//! kept for the debrief in `predictions.csv` and beside a saved session.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;

use super::AppSystems;
use super::present::NEXT_KEYS;
use super::sim::{Control, Sim, Twin};
use crate::io::write_through_temp;

/// Ticks ahead a card asks about, unless chosen.
pub const DEFAULT_HORIZON: u64 = 300;
/// Two values within this share of the larger count as "about the same".
pub const SAME_WITHIN: f64 = 0.02;
/// Where outcomes are kept for the debrief, in the folder the app was started from.
pub const DEBRIEF_FILE: &str = "predictions.csv";

/// An answer on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The left (main) forest has more.
    Left,
    /// The right forest (the branch or comparison) has more.
    Right,
    Same,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Left, Answer::Right, Answer::Same];

    fn index(self) -> usize {
        match self {
            Answer::Left => 0,
            Answer::Right => 1,
            Answer::Same => 2,
        }
    }
}

/// Where the card stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// The forests wait; the room answers.
    Asking,
    /// Revealing: the forests run to the horizon.
    Running,
    /// The horizon reached: what happened, beside what the room said.
    Revealed { left: f64, right: f64, answer: Answer },
}

/// One prediction card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub metric: String,
    pub horizon: u64,
    /// The tick the question was asked at.
    pub asked_at: u64,
    /// What the two forests are called on screen.
    pub left: String,
    pub right: String,
    /// Hands for each answer, in `Answer::ALL` order.
    pub counts: [u32; 3],
    pub phase: Phase,
}

impl Card {
    pub fn due(&self) -> u64 {
        self.asked_at.saturating_add(self.horizon)
    }

    pub fn question(&self) -> String {
        format!("In {} ticks, which forest has more {}?", self.horizon, super::plots::metric_words(&self.metric))
    }

    pub fn answer_words(&self, answer: Answer) -> String {
        match answer {
            Answer::Left => format!("the left: {}", self.left),
            Answer::Right => format!("the right: {}", self.right),
            Answer::Same => "about the same".to_string(),
        }
    }
}

/// The card on show, if any, and every outcome so far.
#[derive(Resource, Debug, Clone)]
pub struct Prediction {
    pub card: Option<Card>,
    pub outcomes: Vec<Card>,
    /// Where outcomes are kept for the debrief (`DEBRIEF_FILE` unless chosen).
    pub debrief: PathBuf,
    /// Where the last outcome was written, or why it could not be.
    pub written: Option<Result<PathBuf, String>>,
}

impl Default for Prediction {
    fn default() -> Self {
        Self { card: None, outcomes: Vec::new(), debrief: PathBuf::from(DEBRIEF_FILE), written: None }
    }
}

impl Prediction {
    /// Whether the card waits for the room (a clicker's "next" then reveals).
    pub fn asking(&self) -> bool {
        self.card.as_ref().is_some_and(|c| c.phase == Phase::Asking)
    }
}

/// What can be done to the card, from the keys or from anywhere else.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Predict {
    /// Ask about `metric` (the compared one when `None`) `horizon` ticks ahead.
    Ask {
        metric: Option<String>,
        horizon: u64,
    },
    Vote(Answer),
    Reveal,
    Close,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Prediction>().add_message::<Predict>().add_systems(
        Update,
        (
            // Before the clock, so that a card stops the forests at the tick it asks from.
            (keys.run_if(not(egui_wants_any_keyboard_input)), apply).chain().in_set(AppSystems::Input),
            // Once every forest has stepped to this tick.
            (settle, keep_with_session).chain().in_set(AppSystems::Observe),
        ),
    );
    if app.is_plugin_added::<bevy_egui::EguiPlugin>() {
        app.add_systems(bevy_egui::EguiPrimaryContextPass, draw);
    }
}

fn keys(keys: Res<ButtonInput<KeyCode>>, prediction: Res<Prediction>, mut predict: MessageWriter<Predict>) {
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    if ctrl {
        return;
    }
    if keys.just_pressed(KeyCode::KeyQ) {
        predict.write(if prediction.card.is_some() {
            Predict::Close
        } else {
            Predict::Ask { metric: None, horizon: DEFAULT_HORIZON }
        });
    }
    if prediction.card.is_none() {
        return;
    }
    for (key, answer) in
        [(KeyCode::Digit1, Answer::Left), (KeyCode::Digit2, Answer::Right), (KeyCode::Digit3, Answer::Same)]
    {
        if keys.just_pressed(key) {
            predict.write(Predict::Vote(answer));
        }
    }
    if prediction.asking() && keys.any_just_pressed(NEXT_KEYS) {
        predict.write(Predict::Reveal);
    }
    if keys.just_pressed(KeyCode::Escape) {
        predict.write(Predict::Close);
    }
}

fn apply(
    mut messages: MessageReader<Predict>,
    mut prediction: ResMut<Prediction>,
    sim: Res<Sim>,
    twins: Query<&Twin>,
    mut controls: MessageWriter<Control>,
) {
    let twin = twins.iter().next();
    for message in messages.read() {
        match message {
            Predict::Ask { metric, horizon } => {
                let Some(twin) = twin else {
                    controls.write(Control::ShowError(
                        "A prediction compares two forests: branch here (Y) or compare (V) first.".into(),
                    ));
                    continue;
                };
                let metric = metric.clone().unwrap_or_else(|| twin.metric.clone());
                prediction.card = Some(Card {
                    metric,
                    horizon: (*horizon).max(1),
                    asked_at: sim.forest.tick,
                    left: sim.timeline_name.clone().unwrap_or_else(|| "main".into()),
                    right: twin.label(),
                    counts: [0; 3],
                    phase: Phase::Asking,
                });
                controls.write(Control::Play(false));
            }
            Predict::Vote(answer) => {
                if let Some(card) = prediction.card.as_mut().filter(|c| c.phase == Phase::Asking) {
                    card.counts[answer.index()] += 1;
                }
            }
            Predict::Reveal => {
                if let Some(card) = prediction.card.as_mut().filter(|c| c.phase == Phase::Asking) {
                    card.phase = Phase::Running;
                    controls.write(Control::Play(true));
                    controls.write(Control::PauseAt(Some(card.due())));
                }
            }
            Predict::Close => prediction.card = None,
        }
    }
}

/// At the horizon: what happened, kept for the debrief.
fn settle(
    mut prediction: ResMut<Prediction>,
    sim: Res<Sim>,
    twins: Query<&Twin>,
    mut controls: MessageWriter<Control>,
) {
    let Some(card) = prediction.card.as_mut() else { return };
    // Its forests gone (a scene opened, one forest put back): nothing left to ask about.
    let Some(twin) = twins.iter().next() else {
        prediction.card = None;
        return;
    };
    if card.phase != Phase::Running || sim.forest.tick < card.due() {
        return;
    }
    let value = |s: &Sim| s.history.at(card.due()).and_then(|m| m.get(&card.metric));
    let (Some(left), Some(right)) = (value(&sim), value(&twin.sim)) else { return };
    // Stopped at the horizon: that stop was the card's, not the story's.
    controls.write(Control::PauseAt(None));
    card.phase = Phase::Revealed { left, right, answer: outcome(left, right) };
    let done = card.clone();
    prediction.outcomes.push(done);
    let path = prediction.debrief.clone();
    let written = write_csv(&path, &prediction.outcomes).map(|()| path);
    prediction.written = Some(written);
}

/// The card over the forest, on a scrim, large enough for the back of the room.
fn draw(mut contexts: bevy_egui::EguiContexts, prediction: Res<Prediction>, sim: Res<Sim>) -> Result {
    use bevy_egui::egui::{self, Align2, Color32, FontId, RichText};
    let Some(card) = &prediction.card else { return Ok(()) };
    let ctx = contexts.ctx_mut()?;
    let screen = ctx.viewport_rect();
    let size = (screen.height() / 24.0).clamp(18.0, 40.0);
    let total: u32 = card.counts.iter().sum();
    egui::Area::new("prediction".into())
        .order(egui::Order::Foreground)
        .anchor(Align2::CENTER_TOP, egui::vec2(0.0, screen.height() * 0.12))
        .show(ctx, |ui| {
            egui::Frame::new().fill(Color32::from_black_alpha(225)).corner_radius(12.0).inner_margin(size * 0.8).show(
                ui,
                |ui| {
                    ui.set_max_width(screen.width() * 0.7);
                    let text = |t: String, scale: f32| {
                        RichText::new(t).font(FontId::proportional(size * scale)).color(Color32::WHITE)
                    };
                    ui.label(text(card.question(), 1.0).strong());
                    ui.add_space(size * 0.3);
                    let happened = match card.phase {
                        Phase::Revealed { answer, .. } => Some(answer),
                        _ => None,
                    };
                    for (k, answer) in Answer::ALL.into_iter().enumerate() {
                        let hands = card.counts[k];
                        let share = if total > 0 {
                            format!(" ({:.0}%)", 100.0 * hands as f64 / total as f64)
                        } else {
                            String::new()
                        };
                        let mark = if happened == Some(answer) { "  ← what happened" } else { "" };
                        let noun = if hands == 1 { "hand" } else { "hands" };
                        let line = format!("{}  {} — {hands} {noun}{share}{mark}", k + 1, card.answer_words(answer));
                        let mut t = text(line, 0.8);
                        if happened == Some(answer) {
                            t = t.color(Color32::from_rgb(255, 214, 90)).strong();
                        }
                        ui.label(t);
                    }
                    ui.add_space(size * 0.3);
                    let footer = match card.phase {
                        Phase::Asking => {
                            "1 / 2 / 3: a hand for each answer · next (clicker) reveals · Q puts the card away"
                                .to_string()
                        }
                        Phase::Running => format!("Revealing: tick {} of {}…", sim.forest.tick, card.due()),
                        Phase::Revealed { left, right, .. } => format!(
                            "At tick {}: left {left:.3}, right {right:.3}. Kept in {}. Q puts the card away.",
                            card.due(),
                            prediction.debrief.display()
                        ),
                    };
                    ui.label(text(footer, 0.55));
                },
            );
        });
    Ok(())
}

/// Which answer the values bear out.
pub fn outcome(left: f64, right: f64) -> Answer {
    if (left - right).abs() <= SAME_WITHIN * left.abs().max(right.abs()) {
        Answer::Same
    } else if left > right {
        Answer::Left
    } else {
        Answer::Right
    }
}

/// A saved session keeps the predictions made in it, in a CSV beside it.
fn keep_with_session(mut controls: MessageReader<Control>, prediction: Res<Prediction>, mut sim: ResMut<Sim>) {
    for control in controls.read() {
        if let Control::SaveSession(path) = control
            && !prediction.outcomes.is_empty()
        {
            let beside = session_csv(path);
            if let Err(e) = write_csv(&beside, &prediction.outcomes) {
                sim.error = Some(e);
            }
        }
    }
}

/// Where a saved session's predictions go: `session.ron` → `session-predictions.csv`.
pub fn session_csv(session: &Path) -> PathBuf {
    let stem = session.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "session".into());
    session.with_file_name(format!("{stem}-predictions.csv"))
}

/// The outcomes as CSV: the question, the room's hands, and what happened.
pub fn write_csv(path: &Path, outcomes: &[Card]) -> Result<(), String> {
    use std::io::Write;
    write_through_temp(path, |w| {
        writeln!(
            w,
            "asked_at,horizon,metric,left,right,hands_left,hands_right,hands_same,left_value,right_value,outcome"
        )?;
        for c in outcomes {
            let Phase::Revealed { left, right, answer } = c.phase else { continue };
            let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let outcome = match answer {
                Answer::Left => "left",
                Answer::Right => "right",
                Answer::Same => "same",
            };
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{left},{right},{outcome}",
                c.asked_at,
                c.horizon,
                c.metric,
                field(&c.left),
                field(&c.right),
                c.counts[0],
                c.counts[1],
                c.counts[2]
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_within_two_percent_are_about_the_same() {
        assert_eq!(outcome(1.0, 1.01), Answer::Same);
        assert_eq!(outcome(1.0, 1.1), Answer::Right);
        assert_eq!(outcome(2.0, 1.0), Answer::Left);
        assert_eq!(outcome(0.0, 0.0), Answer::Same);
    }

    #[test]
    fn a_session_keeps_its_predictions_beside_it() {
        assert_eq!(session_csv(Path::new("out/session.ron")), PathBuf::from("out/session-predictions.csv"));
    }
}
