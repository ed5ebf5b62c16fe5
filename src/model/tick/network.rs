//! Roots and signals: "feedback travels" and "energy goes where it's most useful" (law 4).
//!
//! Each tree tells its neighbours how useful one more unit of energy would be at it (its
//! return on effort, less as budget piles up beyond the work it can do with it) or, relayed,
//! how useful the best place it heard of is; a link delivers that `delay` ticks later, blurred
//! by the sender's stress and distrust. Surplus energy flows along each link toward the end
//! that looks more useful, as each end perceives it: no global optimizer. What a giver hears
//! is late, so it keeps giving for as long after the receiver has enough.
//!
//! Two passes over the links do it: one where each end hears the other and decides what to
//! give, one where the gifts, scaled to what each giver can spare, move. What each pass reads
//! and adds up per tree is packed in one record per tree, so a link's two ends cost two cache
//! lines, not one per quantity.

use super::energy::light_worked_at;
use super::{EPS, max_of, min_of, reset, sized, trust};
use crate::model::Practice;
use crate::model::delays::{Report, Sent};
use crate::model::forest::{Forest, Giving, Heard, Node, Received};
use crate::model::light::short_way;
use crate::model::metrics::Ledger;
use crate::model::params::Params;

/// Value of one more unit of energy at a tree: its return on effort, halved once it holds
/// as much as its reserve plus `runway` ticks of planned work, and less again beyond.
#[inline(always)]
pub(super) fn usefulness(p: &Params, yield_: f64, energy: f64, biomass: f64, planned_effort: f64) -> f64 {
    let need = p.reserve * biomass + p.runway * planned_effort + EPS;
    yield_ / (1.0 + max_of(energy, 0.0) / need)
}

/// Read-only inputs of [`usefulness_kernel`].
struct UsefulnessInputs<'a> {
    alive: &'a [bool],
    yield_: &'a [f64],
    energy: &'a [f64],
    biomass: &'a [f64],
    planned_effort: &'a [f64],
}

/// Each tree's [`usefulness`] (0 where it is dead): a loop of its own, with no branch, so that
/// the AVX2 and AVX-512 variants divide four or eight trees at once (see "kernels" in
/// `tick/mod.rs`). Written as an iterator's closure it ran outside the compiled variants.
#[inline(always)]
fn usefulness_kernel(p: &Params, inp: UsefulnessInputs, out: &mut [f64]) {
    let n = out.len();
    let UsefulnessInputs { alive, yield_, energy, biomass, planned_effort } = inp;
    let (alive, yield_, energy, biomass, planned_effort) =
        (&alive[..n], &yield_[..n], &energy[..n], &biomass[..n], &planned_effort[..n]);
    for i in 0..n {
        let u = usefulness(p, yield_[i], energy[i], biomass[i], planned_effort[i]);
        out[i] = if alive[i] { u } else { 0.0 };
    }
}

/// The value tree `i` reports delivering per person: what its reports state, and what its
/// neighbours hear where people move on their own.
#[inline(always)]
pub(super) fn reported_per_person(t: &crate::model::Trees, i: usize) -> f64 {
    t.value_reported[i] / (t.size[i] + EPS)
}

/// Signals: what each tree hears along its links (as late as each link is slow), what it
/// relays and sends (its usefulness, the light it sees and where it works), where it believes
/// more light is, the reports of its return on effort it sends up the hierarchy, what it would
/// give each neighbour (judged against what it signalled last tick), and the room it has for
/// what its neighbours give it.
#[inline(always)]
pub(super) fn signal(f: &mut Forest) {
    let n = f.team_count();
    let m = f.links.len();
    let p = &f.params;
    let tick = f.tick;
    let t = &mut f.trees;
    let s = &mut f.scratch;
    let open = &t.practices.level[Practice::Open.index()][..n];
    usefulness_kernel(
        p,
        UsefulnessInputs {
            alive: &t.alive[..n],
            yield_: &t.yield_[..n],
            energy: &t.energy[..n],
            biomass: &t.biomass[..n],
            planned_effort: &t.planned_effort[..n],
        },
        &mut t.usefulness[..n],
    );
    sized(&mut s.nodes, n);
    {
        let nodes = &mut s.nodes[..n];
        let (usefulness, signal, trust, light) = (&t.usefulness[..n], &t.signal[..n], &t.trust[..n], &t.light[..n]);
        let at = &s.looking_at[..n];
        for i in 0..n {
            nodes[i] = Node {
                usefulness: usefulness[i],
                signal: signal[i],
                inverse_signal: 1.0 / (signal[i] + EPS),
                trust: trust[i],
                light: light[i],
                open: open[i],
                at: at[i],
            };
        }
    }
    reset(&mut s.heard, n, Heard::default());
    sized(&mut s.desire_ab, m);
    sized(&mut s.desire_ba, m);
    let h = &f.history;
    // Only where feedback is open anywhere can a link's delay differ from its own.
    let any_open = open.iter().any(|&o| o > 0.0);
    let set_delays = any_open || s.delays_shortened;
    s.delays_shortened = any_open;
    // Where in the history each possible delay reads from this tick.
    s.slot_of.clear();
    s.slot_of.extend((0..h.len as u32).map(|delay| h.slot_ago(tick, delay) as u32));
    {
        // Plain slices keep every pointer and length in registers across the loop.
        let links = &mut f.links;
        let (delays, effective_delay) = (&links.delay[..m], &mut links.effective_delay[..m]);
        let inputs = HearInputs {
            nodes: &s.nodes[..n],
            a: &links.a[..m],
            b: &links.b[..m],
            delays,
            capacity: &links.capacity[..m],
            reach: p.reach,
            slot_of: &s.slot_of[..],
            sent: &h.sent[..],
            open_cut: p.open_cut,
            share_rate: p.share_rate,
        };
        let outputs = HearOutputs {
            heard: &mut s.heard[..n],
            effective_delay,
            desire_ab: &mut s.desire_ab[..m],
            desire_ba: &mut s.desire_ba[..m],
        };
        // Where no feedback is open, every link's delay is its own: the loop without the open
        // practice's terms, which leaves it fewer values to keep at hand.
        if any_open {
            hear::<true>(inputs, outputs);
        } else {
            if set_delays {
                outputs.effective_delay.copy_from_slice(delays);
            }
            hear::<false>(inputs, outputs);
        }
    }
    let slot = h.slot(tick);
    let sent = &mut f.history.sent[slot..slot + n];
    let sense = &t.practices.level[Practice::Sense.index()][..n];
    reset(&mut s.report, n, Default::default());
    let states_light = p.point_by_light > 0;
    if states_light {
        reset(&mut s.report_light, n, 0.0);
    }
    s.giving.clear();
    let (relay, signal_noise, report_noise, reach, sense_noise, reserve) =
        (p.relay, p.signal_noise, p.report_noise, p.reach, p.sense_noise, p.reserve);
    for i in 0..n {
        let heard = s.heard[i];
        if !t.alive[i] {
            t.signal[i] = 0.0;
            sent[i] = Default::default();
            s.giving.push(Giving::default());
            continue;
        }
        let relayed = max_of(t.usefulness[i], relay * heard.best);
        t.signal[i] = relayed;
        let noise = signal_noise * (1.0 - p.open_cut * open[i]) * (0.5 * t.stress[i] + (1.0 - t.trust[i]));
        sent[i].signal = max_of(relayed * (1.0 + noise * f.rng.signed()), 0.0) as f32;
        sent[i].light = t.light[i] as f32;
        sent[i].at = s.looking_at[i] as f32;
        // Where more light is: the mean of what the neighbours said of the rise in light across
        // the tree's reach; and where the tree looks for itself, what it sees within its reach
        // (with `sense_noise`), as much as it looks. Both read the same quantity, the change in
        // light across the reach against the light at hand.
        let told = f.links.degree[i] as f64;
        let heard_gradient = if told > 0.0 { 2.0 * heard.light_rise / told / (t.light[i] + EPS) } else { 0.0 };
        t.heard_gradient[i] = heard_gradient;
        let looks = sense[i];
        t.light_gradient[i] = if looks > 0.0 {
            let at = s.looking_at[i];
            let seen = (light_worked_at(&f.light, &s.crowd_share, at + reach)
                - light_worked_at(&f.light, &s.crowd_share, at - reach))
                / (t.light[i] + EPS)
                + sense_noise * f.rng.signed();
            (1.0 - looks) * heard_gradient + looks * seen
        } else {
            heard_gradient
        };
        // A report states the return on effort as the reported value states output (inflated
        // with it), the budget on hand, and the reported value per person.
        let inflation = if t.value_real[i] > EPS { t.value_reported[i] / t.value_real[i] } else { 1.0 };
        // Where reports are noisy (`report_noise`), by the rule of what a tree tells its
        // neighbours: on how well its work pays and what it delivers, not on its budget.
        let (said_return, said_output) = if report_noise > 0.0 {
            let k = report_noise * noise;
            (max_of(1.0 + k * f.rng.signed(), 0.0), max_of(1.0 + k * f.rng.signed(), 0.0))
        } else {
            (1.0, 1.0)
        };
        // A giver gives no more than its surplus above its reserve, and that is what it reports
        // it can spare.
        let surplus = (t.energy[i] - reserve * t.biomass[i]).max(0.0);
        s.report[i] =
            Report::new(t.yield_[i] * inflation * said_return, surplus, reported_per_person(t, i) * said_output);
        if states_light {
            // The light it sees where it works, as noisy as its return where reports are noisy (on
            // a stream of its own), and never inflated by a target: it is not a figure of value.
            let said_light = if report_noise > 0.0 {
                max_of(1.0 + report_noise * noise * f.report_light_rng.signed(), 0.0)
            } else {
                1.0
            };
            s.report_light[i] = t.light[i] * said_light;
        }
        let scale = if heard.wanted_out > surplus { surplus / heard.wanted_out } else { 1.0 };
        // A tree takes in no more than it can hold, once its own gifts have left, whoever sends
        // it: as a reallocation's receipt is held to the room its receiver has (`deliver`). Its
        // own gifts are counted as leaving in full; where a receiver refuses part of them, the
        // giver keeps that part too and can end the tick a little above its room.
        let room = max_of(p.storage * t.biomass[i] - t.energy[i] + scale * heard.wanted_out, 0.0);
        // Energy coming in, from a neighbour or a reallocation, is judged against the typical
        // place the tree hears of, as `deliver` judges a reallocation's receipt. A tree that hears
        // of nothing cannot tell: a coin toss.
        let typical = if told > 0.0 { heard.sum / told } else { relayed };
        t.heard_typical[i] = typical;
        let agrees_in = trust::agrees(relayed, typical, true);
        s.giving.push(Giving { scale, trust: t.trust[i], agrees_in, room, accept: 1.0 });
    }
    // Where decisions point by the light, each report also states the light its team sees where
    // it works (empty otherwise).
    let light = if states_light { &s.report_light[..n] } else { &[] };
    f.reports.push(&s.report, light);
}

/// Read-only inputs of [`hear`].
struct HearInputs<'a> {
    nodes: &'a [Node],
    a: &'a [u32],
    b: &'a [u32],
    delays: &'a [u32],
    capacity: &'a [f64],
    reach: f64,
    /// Where in the history each possible delay reads from this tick.
    slot_of: &'a [u32],
    sent: &'a [Sent],
    open_cut: f64,
    share_rate: f64,
}

/// Outputs of [`hear`], each its own slice.
struct HearOutputs<'a> {
    heard: &'a mut [Heard],
    effective_delay: &'a mut [u32],
    desire_ab: &'a mut [f32],
    desire_ba: &'a mut [f32],
}

/// The first pass over the links: each end hears the other, as late as the link is slow, and
/// decides what it would give. `OPEN`: some tree holds open feedback, so a link's delay is
/// shortened by its ends' practice and recorded; without it, each link's own delay is used.
#[inline(always)]
fn hear<const OPEN: bool>(inp: HearInputs, out: HearOutputs) {
    let HearInputs { nodes, a: la, b: lb, delays, capacity, reach, slot_of, sent, open_cut, share_rate } = inp;
    let HearOutputs { heard, effective_delay, desire_ab, desire_ba } = out;
    let m = la.len();
    let (lb, delays, capacity) = (&lb[..m], &delays[..m], &capacity[..m]);
    let (effective_delay, desire_ab, desire_ba) = (&mut effective_delay[..m], &mut desire_ab[..m], &mut desire_ba[..m]);
    let longest = slot_of.len() as u32 - 1;
    let floor = reach.max(EPS);
    for l in 0..m {
        let (a, b) = (la[l] as usize, lb[l] as usize);
        let (na, nb) = (nodes[a], nodes[b]);
        let delay = if OPEN {
            let o = max_of(na.open, nb.open);
            let d = if o > 0.0 { super::hierarchy::shortened(delays[l], o, open_cut) } else { delays[l] };
            effective_delay[l] = d;
            d
        } else {
            delays[l]
        };
        let slot = slot_of[delay.min(longest) as usize] as usize;
        let (from_b, from_a) = (sent[slot + b], sent[slot + a]);
        let (ua, ub) = (na.usefulness, nb.usefulness);
        let tr = 0.5 * (na.trust + nb.trust);
        // A tree believes what it hears as far as it trusts the link, else its own view.
        let weight = 0.3 + 0.7 * tr;
        let at_a = ua + weight * (from_b.signal as f64 - ua);
        let at_b = ub + weight * (from_a.signal as f64 - ub);
        // Neighbours also tell each other how much light they see and where they work, as late
        // as the link is slow. Against the light where the tree works now, a neighbour working
        // within its reach tells the rise across it; one working further away tells the rise
        // over its distance, which is `reach / distance` of that across the reach.
        let (light_b, light_a) = (from_b.light as f64, from_a.light as f64);
        let (across_a, across_b) =
            (across_reach(na.at, from_b.at as f64, reach, floor), across_reach(nb.at, from_a.at as f64, reach, floor));
        // Each end gives toward the other as far as the other looks more useful than what it
        // said of itself, at most the link's effective capacity (trust widens the roots).
        let effective = capacity[l] * (0.25 + 0.75 * tr);
        let ab = min_of(share_rate * effective * max_of((at_a - na.signal) * na.inverse_signal, 0.0), effective);
        let ba = min_of(share_rate * effective * max_of((at_b - nb.signal) * nb.inverse_signal, 0.0), effective);
        let (ab, ba) = (ab as f32, ba as f32);
        desire_ab[l] = ab;
        desire_ba[l] = ba;
        let (ab, ba) = (ab as f64, ba as f64);
        let ha = &mut heard[a];
        ha.best = max_of(ha.best, at_a);
        ha.sum += at_a;
        ha.light_rise += across_a * (light_b - na.light);
        ha.wanted_out += ab;
        let hb = &mut heard[b];
        hb.best = max_of(hb.best, at_b);
        hb.sum += at_b;
        hb.light_rise += across_b * (light_a - nb.light);
        hb.wanted_out += ba;
    }
}

/// How much of the rise in light from `here` to `there` a tree counts as the rise across its
/// reach, signed by side: `±min(1, reach / distance)`, the short way round the forest's width.
/// `floor` is the reach, kept above 0 (so that a reach of 0 counts nothing, never 0 / 0).
#[inline(always)]
fn across_reach(here: f64, there: f64, reach: f64, floor: f64) -> f64 {
    let apart = short_way(here, there);
    reach.copysign(apart) / max_of(apart.abs(), floor)
}

/// Sharing along links: the gifts decided in `signal`, scaled to what each giver can spare,
/// move, as far as each receiver has room for what it is offered (the rest stays with the
/// givers, in proportion: `take_in`). Links widen with use and trust and narrow when idle; each
/// end pays `link_upkeep` per unit of capacity per tick, and a link whose end could not pay it
/// all narrows to the width that end paid for (`narrow_unpaid`). A receiver judges a gift as it
/// judges a reallocation: by whether it sees itself as more useful than the typical place it
/// hears of (`trust::agrees`, decided in `signal`).
#[inline(always)]
pub(super) fn share(f: &mut Forest, ledger: &mut Ledger) {
    let n = f.team_count();
    let m = f.links.len();
    let p = &f.params;
    let s = &mut f.scratch;
    reset(&mut s.received, n, Received::default());
    take_in(&f.links, s, n);
    let (capacity_growth, capacity_decay, min_capacity) = (p.capacity_growth, p.capacity_decay, p.min_capacity);
    {
        let (la, lb) = (&f.links.a[..m], &f.links.b[..m]);
        let (desire_ab, desire_ba) = (&s.desire_ab[..m], &s.desire_ba[..m]);
        let giving = &s.giving[..n];
        let received = &mut s.received[..n];
        let effective_delay = &f.links.effective_delay[..m];
        let (flow, capacity, traffic) = (&mut f.links.flow[..m], &mut f.links.capacity[..m], &mut f.links.traffic[..m]);
        for l in 0..m {
            let (a, b) = (la[l] as usize, lb[l] as usize);
            let (ga, gb) = (giving[a], giving[b]);
            let (ab, ba) = (desire_ab[l] as f64 * ga.scale * gb.accept, desire_ba[l] as f64 * gb.scale * ga.accept);
            let delay = effective_delay[l] as f64;
            flow[l] = ab - ba;
            traffic[l] = ab + ba;
            let used = (ab + ba) * 0.5 * (ga.trust + gb.trust);
            let c = max_of(
                capacity[l] + capacity_growth * used - capacity_decay * (capacity[l] - min_capacity),
                min_capacity,
            );
            capacity[l] = c;
            let ra = &mut received[a];
            ra.energy += ba - ab;
            ra.outflow += ab;
            ra.inflow += ba;
            ra.agreed += ba * ga.agrees_in;
            ra.age += ba * delay;
            ra.capacity += c;
            let rb = &mut received[b];
            rb.energy += ab - ba;
            rb.outflow += ba;
            rb.inflow += ab;
            rb.agreed += ab * gb.agrees_in;
            rb.age += ab * delay;
            rb.capacity += c;
        }
    }
    let t = &mut f.trees;
    let bias = p.negativity_bias;
    let mut upkeep = 0.0;
    let mut short = false;
    sized(&mut s.upkeep_paid, n);
    for i in 0..n {
        let r = s.received[i];
        t.energy[i] += r.energy;
        t.inflow[i] = r.inflow;
        t.outflow[i] = r.outflow;
        // A dead tree's links are idle, and narrow as idle links do.
        s.upkeep_paid[i] = 1.0;
        if !t.alive[i] {
            continue;
        }
        let owed = p.link_upkeep * r.capacity;
        let paid = owed.min(t.energy[i].max(0.0));
        t.energy[i] -= paid;
        upkeep += paid;
        if paid < owed {
            s.upkeep_paid[i] = paid / owed;
            short = true;
        }
        if r.inflow <= EPS {
            continue;
        }
        allocation_age(t, i, r.age / r.inflow, r.inflow);
        let weight = trust::materiality(p, r.inflow, t.biomass[i]);
        let pull = trust::pull(t.clarity[i], t.trust[i], bias, r.agreed / r.inflow);
        s.experience_pull[i] += weight * pull;
    }
    ledger.links += upkeep;
    if short {
        narrow_unpaid(f);
    }
}

/// What each tree takes in of the gifts offered to it: all of them where they fit in its room,
/// else the share that fits (`Giving::accept`), the rest staying with the givers.
#[inline(always)]
fn take_in(links: &crate::model::forest::Links, s: &mut crate::model::forest::Scratch, n: usize) {
    let m = links.len();
    reset(&mut s.offered, n, 0.0);
    {
        let (la, lb) = (&links.a[..m], &links.b[..m]);
        let (desire_ab, desire_ba) = (&s.desire_ab[..m], &s.desire_ba[..m]);
        let giving = &s.giving[..n];
        let offered = &mut s.offered[..n];
        for l in 0..m {
            let (a, b) = (la[l] as usize, lb[l] as usize);
            offered[b] += desire_ab[l] as f64 * giving[a].scale;
            offered[a] += desire_ba[l] as f64 * giving[b].scale;
        }
    }
    for (g, &offered) in s.giving[..n].iter_mut().zip(&s.offered[..n]) {
        g.accept = if offered > g.room { g.room / offered } else { 1.0 };
    }
}

/// A link is kept only as wide as its ends paid for: where an end paid `share` of its links'
/// upkeep this tick, each of its links keeps `share` of its width above `min_capacity` (the
/// less of its two ends' shares). In a generated forest some tree falls short in most ticks.
fn narrow_unpaid(f: &mut Forest) {
    let m = f.links.len();
    let min_capacity = f.params.min_capacity;
    let paid = &f.scratch.upkeep_paid;
    let (la, lb) = (&f.links.a[..m], &f.links.b[..m]);
    let capacity = &mut f.links.capacity[..m];
    for l in 0..m {
        let share = min_of(paid[la[l] as usize], paid[lb[l] as usize]);
        if share < 1.0 {
            capacity[l] = min_capacity + (capacity[l] - min_capacity) * share;
        }
    }
}

/// Wood an allocation must be worth, as a share of the tree's, to move the age of the
/// information behind its allocations halfway to its own.
const AGE_HALF: f64 = 0.1;

/// Energy `amount` allocated to tree `i` (a gift, a reallocation's receipt), decided on
/// information `age` ticks old, moves the tree's `decision_age` toward that age as far as it
/// is large against the tree's wood; an allocation of nothing moves it not at all. One rule for
/// every channel; what a tree gives away is not an allocation to it, whoever decided it.
#[inline(always)]
pub(super) fn allocation_age(t: &mut crate::model::Trees, i: usize, age: f64, amount: f64) {
    if amount <= EPS {
        return;
    }
    let w = amount / (amount + AGE_HALF * t.biomass[i]);
    t.decision_age[i] = w * age + (1.0 - w) * t.decision_age[i];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tick::test_forest;

    /// Two teams on one link, team 1 offering team 2 two units that team 2 has room for half of.
    fn offering_more_than_fits(room: f64) -> (Forest, Ledger) {
        let mut f = test_forest(Params::default(), true);
        let s = &mut f.scratch;
        s.experience_pull = vec![0.0; 3];
        s.desire_ab = vec![2.0];
        s.desire_ba = vec![0.0];
        s.giving = vec![Giving { scale: 1.0, room: 100.0, accept: 1.0, ..Default::default() }; 3];
        s.giving[2].room = room;
        let ledger = Ledger { stocks_before: f.stocks(), ..Default::default() };
        (f, ledger)
    }

    #[test]
    fn a_tree_takes_in_only_the_gifts_it_has_room_for_and_the_rest_stays_with_the_giver() {
        let (mut f, mut ledger) = offering_more_than_fits(0.5);
        let before = [f.trees.energy[1], f.trees.energy[2]];
        share(&mut f, &mut ledger);
        let upkeep = f.params.link_upkeep * f.links.capacity[0];
        let (given, taken) = (before[0] - f.trees.energy[1] - upkeep, f.trees.energy[2] - before[1] + upkeep);
        assert!((given - 0.5).abs() < 1e-9 && (taken - 0.5).abs() < 1e-9, "gave {given}, took in {taken}");
        assert!((f.trees.inflow[2] - 0.5).abs() < 1e-12 && (f.links.traffic[0] - 0.5).abs() < 1e-12);
        assert!((f.stocks() + ledger.sinks() - ledger.stocks_before).abs() < 1e-9, "the ledger is exact");
        // With room for all of it, all of it moves.
        let (mut f, mut ledger) = offering_more_than_fits(5.0);
        share(&mut f, &mut ledger);
        assert!((f.trees.inflow[2] - 2.0).abs() < 1e-12);
    }
}
