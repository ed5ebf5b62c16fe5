//! Law 5: attention is limited. Each tree's attention goes to routine work, to its direct
//! reports, to its links, to the practices it holds and to the one-off decisions and changes
//! still being worked through. Overload raises stress; stress burns capacity; stress fades as
//! fast as there is room to breathe. Budget cannot buy attention: spare energy goes into extra
//! work only into attention that is free.

use super::{EPS, practice};
use crate::model::Practice;
use crate::model::forest::Forest;
use crate::model::params::Params;

/// Attention and stress for every tree, and the effort each plans this tick.
#[inline(always)]
pub(super) fn attend(f: &mut Forest) {
    let n = f.team_count();
    f.links.refresh(n);
    let t = &mut f.trees;
    let level = &t.practices.level;
    let practice = |p: Practice| &level[p.index()][..n];
    kernel(
        &f.params,
        Inputs {
            alive: &t.alive[..n],
            biomass: &t.biomass[..n],
            children: &t.children[..n],
            clarity: &t.clarity[..n],
            energy: &t.energy[..n],
            size: &t.size[..n],
            yield_: &t.yield_[..n],
            degree: &f.links.degree[..n],
            push: practice(Practice::Push),
            slack: practice(Practice::Slack),
            target: practice(Practice::Target),
            align: practice(Practice::Align),
            open: practice(Practice::Open),
            soil: practice(Practice::Soil),
            sense: practice(Practice::Sense),
            clarify: practice(Practice::Clarify),
        },
        Outputs {
            attention_capacity: &mut t.attention_capacity[..n],
            attention_load: &mut t.attention_load[..n],
            pending_load: &mut t.pending_load[..n],
            planned_effort: &mut t.planned_effort[..n],
            stress: &mut t.stress[..n],
        },
    );
}

/// Effort is multiplied by `(1 + push + target) × (1 − slack_cut × slack)`: whoever asks for
/// more effort or for slack, the same arithmetic.
#[inline(always)]
pub(super) fn effort_multiplier(p: &Params, push: f64, target: f64, slack: f64) -> f64 {
    (1.0 + push + target) * (1.0 - p.slack_cut * slack)
}

/// Room to breathe: free attention as a multiple of the reference `room`, at most 2. Stress
/// fades and trees adapt at their reference rates with the reference room.
#[inline(always)]
pub(super) fn room(p: &Params, load: f64, capacity: f64) -> f64 {
    let free = (1.0 - load / (capacity + EPS)).max(0.0);
    (free / p.room).min(2.0)
}

/// Read-only inputs of [`kernel`].
struct Inputs<'a> {
    alive: &'a [bool],
    biomass: &'a [f64],
    children: &'a [u32],
    clarity: &'a [f64],
    energy: &'a [f64],
    size: &'a [f64],
    yield_: &'a [f64],
    degree: &'a [u32],
    push: &'a [f64],
    slack: &'a [f64],
    target: &'a [f64],
    align: &'a [f64],
    open: &'a [f64],
    soil: &'a [f64],
    sense: &'a [f64],
    clarify: &'a [f64],
}

/// Outputs of [`kernel`], each its own slice so the compiler can see they overlap nothing.
struct Outputs<'a> {
    attention_capacity: &'a mut [f64],
    attention_load: &'a mut [f64],
    pending_load: &'a mut [f64],
    planned_effort: &'a mut [f64],
    stress: &'a mut [f64],
}

/// The per-tree loop of [`attend`] (see "kernels" in `tick/mod.rs`).
#[inline(always)]
fn kernel(p: &Params, inp: Inputs, out: Outputs) {
    let n = inp.alive.len();
    let Inputs {
        alive,
        biomass,
        children,
        clarity,
        energy,
        size,
        yield_,
        degree,
        push,
        slack,
        target,
        align,
        open,
        soil,
        sense,
        clarify,
    } = inp;
    let (biomass, children, clarity, energy, size, yield_, degree) =
        (&biomass[..n], &children[..n], &clarity[..n], &energy[..n], &size[..n], &yield_[..n], &degree[..n]);
    let (push, slack, target, align, open, soil, sense, clarify) =
        (&push[..n], &slack[..n], &target[..n], &align[..n], &open[..n], &soil[..n], &sense[..n], &clarify[..n]);
    let Outputs { attention_capacity, attention_load, pending_load, planned_effort, stress } = out;
    let (attention_capacity, attention_load, pending_load, planned_effort, stress) = (
        &mut attention_capacity[..n],
        &mut attention_load[..n],
        &mut pending_load[..n],
        &mut planned_effort[..n],
        &mut stress[..n],
    );
    for i in 0..n {
        if !alive[i] {
            continue;
        }
        let people = size[i] * p.attention_per_person;
        let capacity = people * (1.0 - p.burnout * stress[i]);
        attention_capacity[i] = capacity;
        let effort_mult = effort_multiplier(p, push[i], target[i], slack[i]);
        let reports = p.report_load * children[i] as f64;
        // What the practices cost in attention, whoever asked for them: monitoring a target and
        // alignment meetings; open feedback's reviews; tending the soil; looking at the light;
        // working on values while clarity is still being gained.
        let gap = practice::clarity_gap(p.values_clarity, clarify[i], clarity[i]);
        let practices = people
            * (p.monitor_load * (target[i] + align[i])
                + p.open_load * open[i]
                + p.soil_load * soil[i]
                + p.sense_load * sense[i]
                + p.clarify_load * gap);
        let links = p.link_load * degree[i] as f64;
        let other = reports + practices + links + pending_load[i];
        // Routine work is the demanded share of biomass. A tree spends spare budget on extra
        // work only where its last return paid for it, and only into attention it lets work
        // fill on its own initiative (`work_ceiling`, lowered by slack: protected time).
        let routine_load = p.work_load * people * effort_mult;
        let ceiling = p.work_ceiling * (1.0 - p.slack_cut * slack[i]);
        let free_for_extra = ((ceiling * capacity - other - routine_load) / (routine_load + EPS)).clamp(0.0, 1.0);
        let routine = p.effort * biomass[i];
        let surplus = (energy[i] - p.reserve * biomass[i]).max(0.0);
        let extra = if yield_[i] > 1.0 { (p.spending * surplus).min(routine * free_for_extra) } else { 0.0 };
        planned_effort[i] = (routine + extra) * effort_mult;
        let work = routine_load * (routine + extra) / (routine + EPS);
        let load = work + other;
        pending_load[i] *= p.load_persistence;
        attention_load[i] = load;
        let overload = (load / (capacity + EPS) - 1.0).max(0.0);
        let s = stress[i];
        let rise = p.stress_rise * overload * (1.0 - s);
        let fall = p.stress_recovery * s * room(p, load, capacity);
        stress[i] = (s + rise - fall).clamp(0.0, 1.0);
    }
}
