//! Your own organization as a forest: an org chart (CSV as spreadsheets and HR tools export
//! it) and a communication network (GraphML, GEXF or an edge list) made into a scene with
//! the standard timelines, laid out from the hierarchy and the links. Nothing leaves the
//! machine; `anonymize` replaces every name with a stable pseudonym.

pub mod error;
mod graph;
mod layout;
mod org;
mod pseudonym;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use error::{ImportError, ImportErrors};
use graph::{Network, looks_like_edge_list, network_from_edge_table, read_graph_file};
pub use layout::DELAY_RULE;
pub use org::RowKind;
use org::{DEFAULT_TEAM_SIZE, LEADERSHIP, Org, OrgTeam, add_leads, unique_names};

use crate::scene::{LinkSpec, LoadedScene, MAX_TEAMS, Scene, TeamSpec, standard_timelines, to_ron};
use crate::text::{agree, counted};

/// The most people a team of a scene may have (as scene checking accepts).
const MAX_TEAM_SIZE: f64 = 100_000.0;

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A communication network to take the links from.
    pub links: Option<PathBuf>,
    /// Columns named by hand: (role, header), as `--columns name=Full Name`.
    pub columns: Vec<(String, String)>,
    pub rows: RowKind,
    pub anonymize: bool,
}

/// An imported scene, and what was assumed in making it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub scene: Scene,
    pub notes: Vec<String>,
    /// The files it came from.
    pub sources: Vec<String>,
}

impl Imported {
    /// The scene as a `.ron` file, opening with comments saying where it came from and what was
    /// assumed.
    pub fn to_ron(&self) -> Result<String, String> {
        let mut text = format!("// Imported by `understory import` from {}.\n", self.sources.join(" and "));
        for note in &self.notes {
            text.push_str(&format!("// - {note}\n"));
        }
        text.push_str(&to_ron(&self.scene).map_err(|e| format!("cannot write the scene: {e}"))?);
        text.push('\n');
        Ok(text)
    }

    /// The scene's text, and the scene loaded back from it (as `file`) exactly as opening the
    /// written file would load it, so that what is shown or written is what checks.
    pub fn load(&self, file: &str) -> Result<(String, LoadedScene), String> {
        let text = self.to_ron()?;
        let loaded = LoadedScene::from_source(file, &text).map_err(|e| e.to_string())?;
        Ok((text, loaded))
    }
}

/// Whether `path` is read by importing it (an org chart or a network) rather than as a scene.
pub fn is_importable(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "csv" | "tsv" | "tab" | "txt" | "graphml" | "gexf" | "xml")
}

/// A scene file, or an org chart or network imported on the fly with the default options.
/// Returns the scene and, for an import, a line saying what was made of it.
pub fn open_any(path: &Path) -> Result<(LoadedScene, Option<String>), String> {
    if !is_importable(path) {
        return LoadedScene::from_path(path).map(|s| (s, None)).map_err(|e| e.to_string());
    }
    let imported = import(path, &ImportOptions::default()).map_err(|e| e.to_string())?;
    let (_, loaded) = imported.load(&path.display().to_string())?;
    let summary = format!(
        "Imported {}: {}, {} ({})",
        path.display(),
        counted(loaded.scene.teams.len(), "team", "teams"),
        counted(loaded.scene.links.len(), "link", "links"),
        imported.notes.first().cloned().unwrap_or_default()
    );
    Ok((loaded, Some(summary)))
}

/// Reads the org chart (or network) at `org_path`, and the network of `options.links`, into a
/// scene. Every problem is reported at once; nothing is made while there are any.
pub fn import(org_path: &Path, options: &ImportOptions) -> Result<Imported, ImportErrors> {
    let mut sources = vec![org_path.display().to_string()];
    let (org, network) = match read_input(org_path, MAX_TEAMS, false)? {
        Input::Network(network) => (org_from_network(&network), Some(network)),
        Input::Table(table) => (org::org_from_table(&table, options.rows, &options.columns)?, None),
    };
    if org.teams.len() > MAX_TEAMS {
        return Err(ImportError::File {
            file: org_path.display().to_string(),
            message: format!(
                "makes {} teams with the leads made up for its groups; Understory refuses more than {MAX_TEAMS}",
                org.teams.len()
            ),
        }
        .into());
    }
    let mut notes = org.notes.clone();
    let mut links: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    match (&network, &options.links) {
        (Some(network), None) => {
            notes.extend(network.notes.iter().cloned());
            for e in &network.edges {
                add_link(&mut links, e.a, e.b, e.weight);
            }
        }
        (_, Some(path)) => {
            sources.push(path.display().to_string());
            let network = match read_input(path, MAX_TEAMS.saturating_mul(20), true)? {
                Input::Network(network) => network,
                Input::Table(table) => network_from_edge_table(&table)?,
            };
            notes.extend(network.notes.iter().cloned());
            let (within, problems) = map_network(&org, &network, &mut links);
            if !problems.is_empty() {
                return Err(ImportErrors(problems));
            }
            if within > 0 {
                notes.push(format!("{within} edges join people of the same team: they are not links"));
            }
        }
        (None, None) => {}
    }
    if options.anonymize {
        // A file's name can say whose organization it is.
        sources = sources.iter().map(|_| "a file whose name is withheld (--anonymize)".to_string()).collect();
    }
    Ok(build_scene(
        org_path,
        org,
        links,
        network.is_some() || options.links.is_some(),
        options.anonymize,
        notes,
        sources,
    ))
}

/// An input file as read: a network, or a table (an org chart, or a links file's edge list).
enum Input {
    Network(Network),
    Table(table::Table),
}

/// Reads `path` once: GraphML or GEXF as a network; a CSV as a table, or as a network where it
/// reads as an edge list and not as an org chart (`source`/`target` columns, and no manager or
/// group column: an org chart may well have "From" and "To" dates). `links`: the file is
/// a links file, refused past `max_rows` rows.
fn read_input(path: &Path, max_rows: usize, links: bool) -> Result<Input, ImportErrors> {
    if let Some(network) = read_graph_file(path, MAX_TEAMS)? {
        return Ok(Input::Network(network));
    }
    let table = table::read_table(path, max_rows)?;
    let org_like = table::find_columns(&table.file, &table.headers, &[table::Role::Manager, table::Role::Group], &[])
        .is_ok_and(|found| !found.is_empty());
    if !links && looks_like_edge_list(&table.headers) && !org_like {
        network_from_edge_table(&table).map(Input::Network)
    } else {
        Ok(Input::Table(table))
    }
}

/// A network on its own: a team per node; where nodes have a group, a lead made up for each
/// group (and one over the leads), else no hierarchy at all.
fn org_from_network(network: &Network) -> Org {
    let mut teams: Vec<OrgTeam> = network
        .nodes
        .iter()
        .map(|n| OrgTeam {
            name: n.label.clone().unwrap_or_else(|| n.id.clone()),
            size: n.size.unwrap_or(DEFAULT_TEAM_SIZE),
            parent: None,
            made_up: false,
        })
        .collect();
    let mut notes = vec![format!("{} nodes of the network, each a team", network.nodes.len())];
    let mut groups: Vec<String> = Vec::new();
    for n in &network.nodes {
        if let Some(g) = &n.group
            && !groups.contains(g)
        {
            groups.push(g.clone());
        }
    }
    if groups.is_empty() {
        notes.push("the network has no groups, so no hierarchy: every team leads itself".into());
    } else {
        let (first, over) = add_leads(&mut teams, &groups);
        for (k, n) in network.nodes.iter().enumerate() {
            if let Some(g) = &n.group {
                teams[k].parent = Some(first + groups.iter().position(|x| x == g).expect("listed above"));
            }
        }
        notes.push(format!(
            "a shallow hierarchy from the nodes' groups: a lead team made up for each of {} groups{over}",
            groups.len()
        ));
    }
    unique_names(&mut teams);
    let mut team_of = HashMap::with_capacity(network.nodes.len() * 2);
    for (k, n) in network.nodes.iter().enumerate() {
        team_of.insert(n.id.clone(), k);
    }
    Org { teams, team_of, notes }
}

/// The network's edges as links between the org chart's teams (people's edges become their
/// teams' links). Returns the edges within one team, and every node the org chart does not know.
fn map_network(org: &Org, network: &Network, links: &mut BTreeMap<(usize, usize), f64>) -> (usize, Vec<ImportError>) {
    let mut problems = Vec::new();
    let team: Vec<Option<usize>> = network
        .nodes
        .iter()
        .map(|n| {
            let found = org.team_of.get(&n.id).or_else(|| n.label.as_ref().and_then(|l| org.team_of.get(l))).copied();
            if found.is_none() {
                let label = n.label.as_ref().map(|l| format!(" (label \"{l}\")")).unwrap_or_default();
                problems.push(ImportError::File {
                    file: network.file.clone(),
                    message: format!(
                        "node \"{}\"{label} is not in the org chart: no row has that id, nor that name alone",
                        n.id
                    ),
                });
            }
            found
        })
        .collect();
    let mut within = 0;
    for e in &network.edges {
        if let (Some(a), Some(b)) = (team[e.a], team[e.b]) {
            if a == b {
                within += 1;
            } else {
                add_link(links, a, b, e.weight);
            }
        }
    }
    (within, problems)
}

fn add_link(links: &mut BTreeMap<(usize, usize), f64>, a: usize, b: usize, weight: f64) {
    if a != b {
        *links.entry((a.min(b), a.max(b))).or_insert(0.0) += weight;
    }
}

/// The scene: positions, links with their delays and capacities, light and parameters for its
/// size, the standard timelines.
fn build_scene(
    org_path: &Path,
    org: Org,
    mut links: BTreeMap<(usize, usize), f64>,
    from_network: bool,
    anonymize: bool,
    mut notes: Vec<String>,
    sources: Vec<String>,
) -> Imported {
    let mut teams = org.teams;
    let n = teams.len();
    let parent: Vec<Option<usize>> = teams.iter().map(|t| t.parent).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(k);
        }
    }
    if !from_network {
        // Roots along the chart: each team to its manager's team and to its neighbouring sibling.
        for (k, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                add_link(&mut links, k, *p, 1.0);
            }
        }
        for kids in &children {
            for w in kids.windows(2) {
                add_link(&mut links, w[0], w[1], 1.0);
            }
        }
        notes.push(
            "no network given: links follow the chart, each team to its manager's team and its neighbouring sibling"
                .into(),
        );
    } else {
        let mut linked = vec![false; n];
        for &(a, b) in links.keys() {
            linked[a] = true;
            linked[b] = true;
        }
        let mut tied = 0;
        for k in 0..n {
            if !linked[k]
                && let Some(p) = parent[k]
            {
                add_link(&mut links, k, p, 1.0);
                tied += 1;
            }
        }
        if tied > 0 {
            notes.push(format!(
                "{} with no edge of {} own {} linked to {} manager's team",
                counted(tied, "team", "teams"),
                agree(tied, "its", "their"),
                agree(tied, "is", "are"),
                agree(tied, "its", "their")
            ));
        }
    }
    let largest = teams.iter().filter(|t| t.size > MAX_TEAM_SIZE).count();
    if largest > 0 {
        notes.push(format!(
            "{} of more than {MAX_TEAM_SIZE} people {} as {MAX_TEAM_SIZE}",
            counted(largest, "team", "teams"),
            agree(largest, "counts", "count")
        ));
    }
    let pairs: Vec<(usize, usize)> = links.keys().copied().collect();
    let sizes: Vec<f64> = teams.iter().map(|t| t.size).collect();
    let x = layout::positions(&parent, &sizes, &pairs);
    let depth = layout::depths(&parent);
    // Capacity relative to the typical weight: a link twice as heavy as most carries twice as much.
    let mut weights: Vec<f64> = links.values().copied().filter(|w| *w > 0.0).collect();
    weights.sort_by(f64::total_cmp);
    let typical = weights.get(weights.len() / 2).copied().unwrap_or(1.0);
    if from_network && weights.windows(2).any(|w| w[0] != w[1]) {
        notes
            .push("edge weights set link capacity: a weight twice the median carries twice as much (0.1 to 10)".into());
    }
    notes.push(DELAY_RULE.to_string());
    let light = layout::light_for(n);
    let params = layout::params_for(n);
    let ticks = layout::ticks_for(n);
    notes.push(format!(
        "for {}: {} in the light, {} a hop of the hierarchy, runs of {ticks} ticks",
        counted(n, "team", "teams"),
        counted(light.patches as usize, "opportunity", "opportunities"),
        counted(params.hop_delay as usize, "tick", "ticks")
    ));
    let stem = org_path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "organization".into());
    let name = if anonymize {
        let mut pseudonyms = pseudonym::Pseudonyms::default();
        for t in &mut teams {
            if t.made_up && t.name == LEADERSHIP {
                continue;
            }
            let lead = t.made_up && t.name.ends_with(" lead");
            let own = if lead { t.name.trim_end_matches(" lead").to_string() } else { t.name.clone() };
            let alias = pseudonyms.of(&own);
            t.name = if lead { format!("{alias} lead") } else { alias };
        }
        notes.push("names replaced by stable pseudonyms (--anonymize)".into());
        "An imported organization".to_string()
    } else {
        stem
    };
    let round = |v: f64, places: i32| {
        let f = 10f64.powi(places);
        (v * f).round() / f
    };
    let team_specs: Vec<TeamSpec> = teams
        .iter()
        .enumerate()
        .map(|(k, t)| TeamSpec {
            name: t.name.clone(),
            x: Some(round(x[k], 4)),
            size: round(t.size, 2).clamp(1.0, MAX_TEAM_SIZE),
            reports_to: t.parent.map(|p| teams[p].name.clone()),
            biomass: None,
            energy: None,
        })
        .collect();
    let link_specs: Vec<LinkSpec> = links
        .iter()
        .map(|(&(a, b), &w)| LinkSpec {
            a: teams[a].name.clone(),
            b: teams[b].name.clone(),
            delay: layout::delay_for(layout::tree_distance(&parent, &depth, a, b)),
            capacity: match w / typical {
                ratio if from_network && ratio.is_finite() => round(ratio.clamp(0.1, 10.0), 3),
                _ => 1.0,
            },
        })
        .collect();
    let levels = depth.iter().max().map(|d| d + 1).unwrap_or(0);
    let scene = Scene {
        description: format!(
            "Imported: {} in {}, {}. {}.",
            counted(n, "team", "teams"),
            counted(levels as usize, "level", "levels"),
            counted(link_specs.len(), "link", "links"),
            capitalized(DELAY_RULE)
        ),
        name,
        seed: 1,
        ticks,
        params,
        light,
        teams: team_specs,
        links: link_specs,
        environment: Vec::new(),
        timelines: standard_timelines(ticks),
        default_timeline: Some("hands-off".into()),
    };
    Imported { scene, notes, sources }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
