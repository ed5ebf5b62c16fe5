//! Interventions: what a leader (or the weather) can do to the forest, by command or by conditions.
//!
//! The same `Intervention` value is what a scene timeline holds and what the UI sends, so
//! every session can be replayed exactly.

use serde::{Deserialize, Serialize};

/// Every intervention and shock the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InterventionKind {
    // Command style: leadership decides what trees do, from the reports that reach it.
    /// Every period, move budget from the trees the reports say are least useful to those they
    /// say are most useful.
    Mandate,
    /// Set each tree a target `strength` above its output when the target reaches it, on a
    /// measure that counts its work at the return it had then; trees work toward the measure.
    Target,
    /// Rewire by the reports: cut links between trees that report alike, link trees that report
    /// the best and worst returns, move people from the teams that report least value per person
    /// to those that report most, move trees under the manager whose reports match theirs.
    Reorganize,
    /// Every period, tell each tree to lean toward where the reports say work pays best near it.
    EnforceAlignment,
    /// Demand more effort.
    PushHarder,
    /// Remove the share `cut_share × strength` of the teams no one reports to whose reports show
    /// the lowest return on effort.
    CutWeakest,
    // Condition style: leadership changes the conditions trees decide in.
    /// Shorter delays and less noise along links and up the hierarchy; costs attention.
    OpenFeedback,
    /// Values become clearer, gradually, so decisions become predictable; costs attention while
    /// it takes hold.
    ClarifyValues,
    /// Less routine effort demanded: less output now, attention free to adapt and recover.
    CreateSlack,
    /// Faster recycling of litter into nutrients (a learning culture); costs energy and attention.
    EnrichSoil,
    /// Trees link to their nearest neighbours; links cost energy to build and keep.
    GrowConnections,
    /// Trees look at the light themselves as well as hearing of it; costs attention.
    LetLightIn,
    // Shocks.
    /// Production falls.
    Drought,
    /// Trees lose biomass to litter; links break.
    Storm,
    /// The light jumps elsewhere.
    LightShift,
    /// Biomass drains to litter and spreads along links.
    Pest,
}

/// Which of the three families a kind belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Command,
    Condition,
    Shock,
}

impl InterventionKind {
    pub const ALL: [InterventionKind; 16] = [
        Self::Mandate,
        Self::Target,
        Self::Reorganize,
        Self::EnforceAlignment,
        Self::PushHarder,
        Self::CutWeakest,
        Self::OpenFeedback,
        Self::ClarifyValues,
        Self::CreateSlack,
        Self::EnrichSoil,
        Self::GrowConnections,
        Self::LetLightIn,
        Self::Drought,
        Self::Storm,
        Self::LightShift,
        Self::Pest,
    ];

    pub fn style(self) -> Style {
        use InterventionKind::*;
        match self {
            Mandate | Target | Reorganize | EnforceAlignment | PushHarder | CutWeakest => Style::Command,
            OpenFeedback | ClarifyValues | CreateSlack | EnrichSoil | GrowConnections | LetLightIn => Style::Condition,
            Drought | Storm | LightShift | Pest => Style::Shock,
        }
    }

    /// A decision of leadership that stands for its duration: not a shock, not a one-off.
    pub fn is_standing(self) -> bool {
        self.style() != Style::Shock && !self.is_instant()
    }

    /// Happens once, at its tick, rather than lasting for a duration.
    pub fn is_instant(self) -> bool {
        use InterventionKind::*;
        matches!(self, Reorganize | CutWeakest | GrowConnections | Storm | LightShift)
    }

    /// The standing practice this intervention sets where it arrives, if it sets one.
    pub fn practice(self) -> Option<Practice> {
        use InterventionKind::*;
        Some(match self {
            PushHarder => Practice::Push,
            CreateSlack => Practice::Slack,
            Target => Practice::Target,
            EnforceAlignment => Practice::Align,
            OpenFeedback => Practice::Open,
            EnrichSoil => Practice::Soil,
            ClarifyValues => Practice::Clarify,
            LetLightIn => Practice::Sense,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        use InterventionKind::*;
        match self {
            Mandate => "mandate",
            Target => "target",
            Reorganize => "reorganize",
            EnforceAlignment => "enforce alignment",
            PushHarder => "push harder",
            CutWeakest => "cut the weakest",
            OpenFeedback => "open feedback",
            ClarifyValues => "clarify values",
            CreateSlack => "create slack",
            EnrichSoil => "enrich soil",
            GrowConnections => "grow connections",
            LetLightIn => "let light in",
            Drought => "drought",
            Storm => "storm",
            LightShift => "light shift",
            Pest => "pest",
        }
    }
}

/// A standing way of working that a decision can ask of a tree. Its level at a tree moves
/// toward what was asked at `adoption_rate` per tick, whoever asked, and back to zero when
/// the decision ends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Practice {
    /// More effort (push harder).
    Push,
    /// Less routine effort (slack).
    Slack,
    /// Effort steered toward a measure (a target's pressure).
    Target,
    /// Leaning where leadership says the light is.
    Align,
    /// Open feedback: shorter delays, less noise.
    Open,
    /// Tending the soil.
    Soil,
    /// Working on the organization's values.
    Clarify,
    /// Looking at the light directly.
    Sense,
}

impl Practice {
    pub const COUNT: usize = 8;
    pub const ALL: [Practice; Practice::COUNT] = [
        Practice::Push,
        Practice::Slack,
        Practice::Target,
        Practice::Align,
        Practice::Open,
        Practice::Soil,
        Practice::Clarify,
        Practice::Sense,
    ];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Which trees an intervention reaches, by index into the forest's teams.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Selection {
    #[default]
    All,
    Trees(Vec<u32>),
}

/// One intervention as issued: what, how strongly, for how long, on which trees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    pub kind: InterventionKind,
    /// 0 to 1.
    pub strength: f64,
    /// Ticks it lasts; ignored by instant kinds.
    pub duration: u64,
    pub on: Selection,
}

impl Intervention {
    /// The tick at which a decision begun at `start` and lasting `duration` ticks stops acting
    /// (it acts for at least one tick).
    pub fn ends(start: u64, duration: u64) -> u64 {
        start.saturating_add(duration.max(1))
    }

    /// The tick at which it stops acting, begun at `start`.
    pub fn end(&self, start: u64) -> u64 {
        Self::ends(start, self.duration)
    }
}

/// An intervention in force, with the tick it began.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub id: u32,
    pub intervention: Intervention,
    pub start: u64,
}

impl Active {
    /// Whether it still acts at `tick`.
    pub fn in_force(&self, tick: u64) -> bool {
        tick < self.intervention.end(self.start)
    }
}
