//! Importing an organization: org charts in each format and quirk spreadsheets and HR tools
//! export, networks from networkx, Gephi and yEd, a broken file for every error, and the
//! imported scene checked and run. Every fixture is written here.

use std::path::{Path, PathBuf};
use std::process::Command;

use understory::import::{ImportOptions, Imported, RowKind, import, open_any};
use understory::scene::LoadedScene;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("understory-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("fixture written");
    path
}

fn imported(path: &Path) -> Imported {
    import(path, &ImportOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The imported scene loads as a written scene would, and runs each of its timelines.
fn loads_and_runs(imported: &Imported) -> LoadedScene {
    let text = imported.to_ron().expect("writes");
    let loaded = LoadedScene::from_source("imported.ron", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let names: Vec<String> = loaded.scene.timelines.keys().cloned().collect();
    assert_eq!(names, ["command", "hands-off", "stewardship"]);
    assert_eq!(loaded.scene.default_timeline.as_deref(), Some("hands-off"));
    for name in &names {
        let timeline = loaded.timeline(Some(name)).expect("resolves");
        let out = understory::run::run(&loaded, &timeline, 1, 120, |_| {}).expect("runs");
        assert_eq!(out.rows.len(), 120);
    }
    loaded
}

fn team_names(imported: &Imported) -> Vec<String> {
    imported.scene.teams.iter().map(|t| t.name.clone()).collect()
}

fn errors(path: &Path) -> String {
    match import(path, &ImportOptions::default()) {
        Ok(_) => panic!("{} should be refused", path.display()),
        Err(e) => e.to_string(),
    }
}

/// Teams, one per row, with a headcount; each delimiter gives the same forest.
const TEAMS: &str = "Team,Parent,Headcount\nBoard,,4\nProduct,Board,12\nPlatform,Product,8\nMobile,Product,6\nSales,Board,10\nSupport,Sales,1,5\n";

#[test]
fn comma_semicolon_and_tab_separated_charts_give_the_same_forest() {
    let dir = temp_dir("delimiters");
    let comma = imported(&write(&dir, "comma.csv", TEAMS.replace("1,5", "\"1,5\"")));
    let semicolon = imported(&write(&dir, "semicolon.csv", TEAMS.replace(',', ";").replace("1;5", "1,5")));
    let tab = imported(&write(&dir, "tab.tsv", TEAMS.replace(',', "\t").replace("1\t5", "1,5")));
    for other in [&semicolon, &tab] {
        assert_eq!(team_names(&comma), team_names(other));
        assert_eq!(comma.scene.teams, other.scene.teams);
        assert_eq!(comma.scene.links, other.scene.links);
    }
    assert!(semicolon.notes.iter().any(|n| n.contains("semicolon-separated")), "{:?}", semicolon.notes);
    assert!(comma.notes.iter().any(|n| n.contains("rows read as teams")), "{:?}", comma.notes);
    let support = comma.scene.teams.iter().find(|t| t.name == "Support").expect("Support");
    assert_eq!(support.size, 1.5, "a decimal comma");
    assert_eq!(support.reports_to.as_deref(), Some("Sales"));
    loads_and_runs(&comma);
}

#[test]
fn a_byte_order_mark_crlf_and_quoted_fields_with_commas_and_line_breaks_are_read() {
    let dir = temp_dir("quirks");
    let text = "Name,Reports To,Title\r\nAmélie Dubois,,\"Chief, Executive\"\r\n\"Ólafur \"\"Óli\"\" Arnalds\",Amélie Dubois,\"Head of\r\nSound\"\r\n山田 太郎,Amélie Dubois,エンジニア\r\nΑθηνά Παππά,山田 太郎,Μηχανικός\r\nПётр Иванов,山田 太郎,Инженер\r\nمحمد علي,Ólafur \"\"Óli\"\" Arnalds,مهندس\r\n";
    // The quoted name with doubled quotes, as spreadsheets write it, is `Ólafur "Óli" Arnalds`.
    let text = text.replace("Ólafur \"\"Óli\"\" Arnalds,مهندس", "\"Ólafur \"\"Óli\"\" Arnalds\",مهندس");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    let result = imported(&write(&dir, "hr-export.csv", &bytes));
    let names = team_names(&result);
    assert!(names.contains(&"Amélie Dubois".to_string()), "{names:?}");
    assert!(names.contains(&"山田 太郎".to_string()), "{names:?}");
    assert!(names.contains(&"Ólafur \"Óli\" Arnalds".to_string()), "{names:?}");
    // People grouped by manager: each manager's team is the manager and direct reports who
    // manage nobody.
    let yamada = result.scene.teams.iter().find(|t| t.name == "山田 太郎").expect("a team");
    assert_eq!(yamada.size, 3.0, "山田 and two reports");
    assert_eq!(yamada.reports_to.as_deref(), Some("Amélie Dubois"));
    assert!(result.notes.iter().any(|n| n.contains("rows read as people")), "{:?}", result.notes);
    loads_and_runs(&result);
}

#[test]
fn excel_on_windows_writes_windows_1252_or_utf16_and_both_are_read() {
    let dir = temp_dir("encodings");
    let latin1 = b"Name;Manager\nJos\xe9 Mu\xf1oz;\nRen\xe9e;Jos\xe9 Mu\xf1oz\n".to_vec();
    let result = imported(&write(&dir, "latin1.csv", latin1));
    assert!(team_names(&result).contains(&"José Muñoz".to_string()));
    assert!(result.notes.iter().any(|n| n.contains("Windows-1252")));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Name\tManager\r\nZoë\t\r\nÅsa\tZoë\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let result = imported(&write(&dir, "utf16.txt", utf16));
    assert!(team_names(&result).contains(&"Zoë".to_string()), "{:?}", team_names(&result));
}

#[test]
fn people_are_grouped_by_department_when_given_and_the_kind_can_be_overridden() {
    let dir = temp_dir("people");
    let people = "Employee ID,Full Name,Department,Manager ID,FTE\n1,Ana,Leadership,,1\n2,Bo,Engineering,1,1\n3,Cy,Engineering,2,1\n4,Di,Engineering,2,0.5\n5,Ed,Sales,1,1\n6,Flo,Sales,5,1\n";
    let path = write(&dir, "people.csv", people);
    // An FTE column reads as headcount: rows are taken as teams unless told otherwise.
    let as_teams = imported(&path);
    assert_eq!(as_teams.scene.teams.len(), 6);
    let as_people = import(&path, &ImportOptions { rows: RowKind::People, ..Default::default() }).expect("imports");
    let names = team_names(&as_people);
    assert_eq!(names, ["Leadership", "Engineering", "Sales"]);
    let size = |name: &str| as_people.scene.teams.iter().find(|t| t.name == name).expect("a team").size;
    assert_eq!((size("Leadership"), size("Engineering"), size("Sales")), (1.0, 3.0, 2.0));
    let parent = |name: &str| as_people.scene.teams.iter().find(|t| t.name == name).and_then(|t| t.reports_to.clone());
    assert_eq!(parent("Engineering").as_deref(), Some("Leadership"));
    assert_eq!(parent("Leadership"), None);
    loads_and_runs(&as_people);
    // Columns can be named by hand; a wrong name says which columns there are.
    let odd = write(&dir, "odd.csv", "Who,Line Boss\nAna,\nBo,Ana\n");
    let e = errors(&odd);
    assert!(e.contains("columns seen: \"Who\", \"Line Boss\"") && e.contains("--columns"), "{e}");
    let named = ImportOptions {
        columns: vec![("name".into(), "who".into()), ("manager".into(), "Line Boss".into())],
        ..Default::default()
    };
    assert_eq!(import(&odd, &named).expect("imports").scene.teams.len(), 1, "Bo is in Ana's team");
}

#[test]
fn first_and_last_names_make_a_name() {
    let dir = temp_dir("first-last");
    let path =
        write(&dir, "names.csv", "First Name,Last Name,Supervisor\nAna,Lopez,\nBo,Chan,Ana Lopez\nCy,Dee,Bo Chan\n");
    let names = team_names(&imported(&path));
    assert_eq!(names, ["Ana Lopez", "Bo Chan"]);
}

/// A GraphML as networkx writes it, with a group and a weight, made by networkx itself.
#[test]
fn a_graphml_written_by_networkx_imports_with_its_clubs_as_groups() {
    let dir = temp_dir("networkx");
    let path = dir.join("karate.graphml");
    let script = format!(
        "import networkx as nx\nG = nx.karate_club_graph()\nfor u, v in G.edges():\n    G[u][v]['weight'] = float(G[u][v].get('weight', 1))\nnx.write_graphml(G, {:?})\n",
        path.display().to_string()
    );
    let made = Command::new("python3").args(["-c", &script]).output();
    match made {
        Ok(out) if out.status.success() => {}
        _ => {
            eprintln!("skipped: python3 with networkx is not installed");
            return;
        }
    }
    let result = imported(&path);
    // 34 members, a lead for each of the two clubs, and one over both.
    assert_eq!(result.scene.teams.len(), 34 + 2 + 1);
    let leads: Vec<&str> = team_names(&result).iter().filter(|n| n.ends_with(" lead")).map(|_| "lead").collect();
    assert_eq!(leads.len(), 2);
    assert!(result.notes.iter().any(|n| n.contains("shallow hierarchy")), "{:?}", result.notes);
    assert!(result.notes.iter().any(|n| n.contains("edge weights set link capacity")), "{:?}", result.notes);
    assert!(result.scene.links.len() >= 78, "the club's 78 friendships");
    let capacities: Vec<f64> = result.scene.links.iter().map(|l| l.capacity).collect();
    assert!(capacities.iter().any(|&c| c > 1.0) && capacities.iter().any(|&c| c < 1.0), "{capacities:?}");
    loads_and_runs(&result);
}

const GEXF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph mode="static" defaultedgetype="undirected">
    <attributes class="node">
      <attribute id="0" title="Modularity Class" type="integer"/>
    </attributes>
    <nodes>
      <node id="n0" label="Ana"><attvalues><attvalue for="0" value="0"/></attvalues></node>
      <node id="n1" label="Bo"><attvalues><attvalue for="0" value="0"/></attvalues></node>
      <node id="n2" label="Cy"><attvalues><attvalue for="0" value="1"/></attvalues></node>
      <node id="n3" label="Di"><attvalues><attvalue for="0" value="1"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="0" source="n0" target="n1" weight="3.0"/>
      <edge id="1" source="n1" target="n2" weight="1.0"/>
      <edge id="2" source="n2" target="n3" weight="3.0"/>
    </edges>
  </graph>
</gexf>"#;

#[test]
fn a_gephi_gexf_gives_a_lead_per_community_and_weights_set_capacity() {
    let dir = temp_dir("gexf");
    let result = imported(&write(&dir, "gephi.gexf", GEXF));
    let names = team_names(&result);
    assert_eq!(names[..4], ["Ana", "Bo", "Cy", "Di"]);
    assert!(names.contains(&"0 lead".to_string()) && names.contains(&"leadership".to_string()), "{names:?}");
    let link = |a: &str, b: &str| result.scene.links.iter().find(|l| l.a == a && l.b == b).map(|l| l.capacity);
    assert!(link("Ana", "Bo").expect("Ana-Bo") > link("Bo", "Cy").expect("Bo-Cy"));
    // Delays follow the hierarchy: across communities is further than within one.
    let delay = |a: &str, b: &str| result.scene.links.iter().find(|l| l.a == a && l.b == b).map(|l| l.delay);
    assert!(delay("Bo", "Cy") > delay("Ana", "Bo"));
    assert!(result.scene.description.contains("delay"), "the scene says how delays were set");
    loads_and_runs(&result);
}

#[test]
fn a_network_without_groups_has_no_hierarchy_and_says_so() {
    let dir = temp_dir("flat");
    let path = write(&dir, "edges.csv", "Source,Target,Weight\nAna,Bo,2\nBo,Cy,1\nCy,Ana,1\nDi,Ana,4\n");
    let result = imported(&path);
    assert_eq!(result.scene.teams.len(), 4);
    assert!(result.scene.teams.iter().all(|t| t.reports_to.is_none()));
    assert!(result.notes.iter().any(|n| n.contains("no hierarchy")), "{:?}", result.notes);
    loads_and_runs(&result);
}

#[test]
fn an_org_chart_with_a_network_takes_its_links_from_the_network() {
    let dir = temp_dir("with-links");
    let org = write(&dir, "org.csv", "id,name,manager\n1,Ana,\n2,Bo,1\n3,Cy,1\n4,Di,2\n5,Ed,3\n6,Flo,3\n");
    // People's edges become their teams' links; Ed and Flo are in one team (Cy's).
    let edges = write(&dir, "talk.csv", "from,to,messages\n4,6,10\n5,6,3\nBo,Cy,1\n");
    let result = import(&org, &ImportOptions { links: Some(edges), ..Default::default() }).expect("imports");
    assert!(result.notes.iter().any(|n| n.contains("1 edges join people of the same team")), "{:?}", result.notes);
    let pairs: Vec<(String, String)> = result.scene.links.iter().map(|l| (l.a.clone(), l.b.clone())).collect();
    assert!(pairs.contains(&("Bo".into(), "Cy".into())), "{pairs:?}");
    loads_and_runs(&result);
    let bad = write(&dir, "bad.csv", "source,target\n4,99\nZed,1\n");
    let e = import(&org, &ImportOptions { links: Some(bad), ..Default::default() }).unwrap_err().to_string();
    assert!(e.contains("\"99\"") && e.contains("\"Zed\""), "both unknown nodes at once: {e}");
}

#[test]
fn a_yed_graphml_with_groups_reads_labels_and_groups() {
    let dir = temp_dir("yed");
    let text = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <graph edgedefault="directed" id="G">
    <node id="n0" yfiles.foldertype="group">
      <data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode><y:NodeLabel>Research</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data>
      <graph edgedefault="directed" id="n0:">
        <node id="n0::n0"><data key="d6"><y:ShapeNode><y:NodeLabel>Lab A</y:NodeLabel></y:ShapeNode></data></node>
        <node id="n0::n1"><data key="d6"><y:ShapeNode><y:NodeLabel>Lab B</y:NodeLabel></y:ShapeNode></data></node>
      </graph>
    </node>
    <node id="n1"><data key="d6"><y:ShapeNode><y:NodeLabel>Legal</y:NodeLabel></y:ShapeNode></data></node>
    <edge id="e0" source="n0::n0" target="n0::n1"/>
    <edge id="e1" source="n0::n1" target="n1"/>
  </graph>
</graphml>"#;
    let result = imported(&write(&dir, "yed.graphml", text));
    let names = team_names(&result);
    assert!(names.contains(&"Lab A".to_string()) && names.contains(&"Research lead".to_string()), "{names:?}");
    loads_and_runs(&result);
}

#[test]
fn every_problem_is_reported_at_once_each_where_it_stands() {
    let dir = temp_dir("broken");
    let text = "Name,Reports To,Headcount\nAna,,4\nBo,Nobody,3\nCy,Di,2\nDi,Cy,2\nAna,,1\n,Ana,2\nEd,Ana,lots\n";
    let e = errors(&write(&dir, "broken.csv", text));
    let path = dir.join("broken.csv").display().to_string();
    for expected in [
        format!("{path}:3:2: reports to \"Nobody\", but no row has that name"),
        format!("{path}:6:1: \"Ana\" is also on line 2"),
        format!("{path}:7:1: the name is empty"),
        format!("{path}:8:3: Headcount \"lots\" is not a number of people"),
    ] {
        assert!(e.contains(&expected), "expected «{expected}» in:\n{e}");
    }
    assert!(e.contains("reporting cycle") && e.contains("\"Cy\" (line 4)") && e.contains("\"Di\" (line 5)"), "{e}");
}

#[test]
fn empty_files_and_graph_errors_say_where() {
    let dir = temp_dir("empty");
    for (name, text) in [("empty.csv", ""), ("blank.csv", "\n\n  \n"), ("bom-only.csv", "\u{feff}")] {
        let e = errors(&write(&dir, name, text));
        assert!(e.contains("is empty"), "{name}: {e}");
    }
    let e = errors(&write(&dir, "header-only.csv", "Name,Manager\n"));
    assert!(e.contains("no rows"), "{e}");
    let graph = "<graphml>\n<graph>\n<node id=\"a\"/>\n<node id=\"a\"/>\n<edge id=\"e1\" source=\"a\" target=\"ghost\"/>\n</graph>\n</graphml>\n";
    let e = errors(&write(&dir, "dup.graphml", graph));
    assert!(e.contains(":4:1: node \"a\": has the id of an earlier node"), "{e}");
    assert!(e.contains(":5:1: edge \"e1\": target \"ghost\" is not a node"), "{e}");
    let e = errors(&write(&dir, "broken.graphml", "<graphml><graph><node id=\"a\">"));
    assert!(e.contains("broken.graphml:"), "{e}");
    let e = errors(&write(&dir, "other.xml", "<html><body/></html>"));
    assert!(e.contains("neither GraphML nor GEXF"), "{e}");
    let e = errors(&dir.join("missing.csv"));
    assert!(e.contains("missing.csv: cannot read"), "{e}");
}

#[test]
fn more_than_a_million_rows_is_refused() {
    let dir = temp_dir("huge");
    let mut text = String::with_capacity(8_000_000);
    text.push_str("name,manager\n");
    for k in 0..1_000_001u32 {
        text.push_str(&k.to_string());
        text.push_str(",0\n");
    }
    let e = errors(&write(&dir, "huge.csv", text));
    assert!(e.contains("more than 1000000 rows"), "{e}");
}

#[test]
fn anonymized_names_are_stable_and_hide_every_original() {
    let dir = temp_dir("anonymize");
    let path = write(
        &dir,
        "acme-secret.csv",
        "name,manager\nAna Real,\nBo Real,Ana Real\nCy Real,Bo Real\nDi Real,Bo Real\nEd Real,Ana Real\n",
    );
    let options = ImportOptions { anonymize: true, ..Default::default() };
    let first = import(&path, &options).expect("imports");
    let again = import(&path, &options).expect("imports");
    assert_eq!(first.scene, again.scene, "the same input gives the same names");
    let text = first.to_ron().expect("writes");
    assert!(!text.contains("Real"), "{text}");
    assert!(!text.contains("acme"), "nor the file's name: {text}");
    loads_and_runs(&first);
}

#[test]
fn the_layout_keeps_each_managers_teams_together() {
    let dir = temp_dir("layout");
    // Two departments of three teams each, written interleaved.
    let text = "team,parent,size\nTop,,3\nA,Top,5\nB,Top,5\nA1,A,5\nB1,B,5\nA2,A,5\nB2,B,5\nA3,A,5\nB3,B,5\n";
    let result = imported(&write(&dir, "groves.csv", text));
    let x = |name: &str| result.scene.teams.iter().find(|t| t.name == name).and_then(|t| t.x).expect("placed");
    let span = |names: &[&str]| {
        let xs: Vec<f64> = names.iter().map(|n| x(n)).collect();
        (xs.iter().cloned().fold(f64::MAX, f64::min), xs.iter().cloned().fold(f64::MIN, f64::max))
    };
    let (a0, a1) = span(&["A", "A1", "A2", "A3"]);
    let (b0, b1) = span(&["B", "B1", "B2", "B3"]);
    assert!(a1 < b0 || b1 < a0, "A's and B's teams do not interleave");
    assert!(result.notes.iter().any(|n| n.contains("names the teams")), "{:?}", result.notes);
}

#[test]
fn open_any_imports_an_org_chart_and_reads_a_scene_as_a_scene() {
    let (loaded, summary) = open_any(Path::new("scenes/examples/org-chart.csv")).expect("imports");
    assert!(summary.expect("says what was made").contains("teams"));
    assert!(loaded.scene.teams.len() >= 10, "{} teams", loaded.scene.teams.len());
    let (scene, summary) = open_any(Path::new("scenes/default.ron")).expect("loads");
    assert!(summary.is_none());
    assert!(!scene.scene.teams.is_empty());
}

#[test]
fn the_command_writes_a_scene_that_checks_and_writes_nothing_on_errors() {
    let dir = temp_dir("cli");
    let bin = env!("CARGO_BIN_EXE_understory");
    let out = dir.join("org.ron");
    let made =
        Command::new(bin).args(["import", "scenes/examples/org-chart.csv", "--out"]).arg(&out).output().expect("runs");
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(made.status.success(), "{stdout}{}", String::from_utf8_lossy(&made.stderr));
    assert!(stdout.contains("timelines: command, hands-off, stewardship"), "{stdout}");
    let checked = Command::new(bin).arg("check").arg(&out).output().expect("runs");
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.starts_with("// Imported by `understory import`"), "{text}");
    // A broken chart: every error, a non-zero exit, and no file.
    let broken = write(&dir, "broken.csv", "name,manager\nAna,\nBo,Nobody\nCy,Nobody2\n");
    let refused = dir.join("refused.ron");
    let failed = Command::new(bin).args(["import"]).arg(&broken).arg("--out").arg(&refused).output().expect("runs");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(stderr.contains("\"Nobody\"") && stderr.contains("\"Nobody2\""), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!refused.exists(), "nothing is written when there are errors");
    assert!(
        std::fs::read_dir(&dir).expect("dir").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );
    // --columns with no '=' is refused by the command line itself.
    let bad =
        Command::new(bin).args(["import", "x.csv", "--out", "y.ron", "--columns", "name"]).output().expect("runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ROLE=Header"));
}

#[test]
fn ids_win_over_names_and_a_shared_name_names_nobody() {
    let dir = temp_dir("ids");
    // Two people called Alex Kim; the manager id says which one Sam reports to.
    let path = write(
        &dir,
        "ids.csv",
        "id,name,manager,manager id\n1,Alex Kim,,\n2,Alex Kim,Alex Kim,1.0\n3,Sam,Alex Kim,2\n4,Ria,,3\n",
    );
    let result = imported(&path);
    let team = |name: &str| result.scene.teams.iter().find(|t| t.name == name).cloned();
    // People by manager: Alex Kim (1) heads, Alex Kim (2) manages Sam, Sam manages Ria.
    assert_eq!(team("Sam").and_then(|t| t.reports_to).as_deref(), Some("Alex Kim (2)"), "{:?}", result.scene.teams);
    // Without the id column, the shared name is refused where it is used.
    let by_name = write(&dir, "names.csv", "id,name,manager\n1,Alex Kim,\n2,Alex Kim,1\n3,Sam,Alex Kim\n");
    let e = errors(&by_name);
    assert!(e.contains(":4:3: reports to \"Alex Kim\", a name more than one row has"), "{e}");
}

#[test]
fn a_team_column_names_teams_beside_a_department_column() {
    let dir = temp_dir("team-and-department");
    let path = write(
        &dir,
        "teams.csv",
        "Team,Department,Parent,Headcount\nPlatform,Eng,,10\nMobile,Eng,Platform,5\nWeb,Eng,Platform,4\n",
    );
    let result = imported(&path);
    let names = team_names(&result);
    assert_eq!(names, ["Platform", "Mobile", "Web"]);
    loads_and_runs(&result);
}

#[test]
fn an_org_chart_with_from_and_to_dates_is_an_org_chart() {
    let dir = temp_dir("dates");
    let path = write(&dir, "dated.csv", "Name,Manager,From,To\nAna,,2020-01-01,\nBo,Ana,2021-03-01,\n");
    let result = imported(&path);
    assert_eq!(team_names(&result), ["Ana"], "Bo is in Ana's team, not a network of dates");
}

#[test]
fn huge_weights_and_teams_stay_within_what_a_scene_accepts() {
    let dir = temp_dir("limits");
    let path = write(&dir, "heavy.csv", "source,target,weight\na,b,1e308\nb,a,1e308\nb,c,1\n");
    let result = imported(&path);
    assert!(result.scene.links.iter().all(|l| l.capacity.is_finite() && l.capacity > 0.0), "{:?}", result.scene.links);
    loads_and_runs(&result);
    let mut text = String::from("name,department\n");
    for k in 0..100_002 {
        text.push_str(&format!("p{k},Ops\n"));
    }
    let big = imported(&write(&dir, "one-big-team.csv", text));
    assert_eq!(big.scene.teams[0].size, 100_000.0);
    assert!(
        big.notes.iter().any(|n| n.contains("1 team of more than 100000 people counts as 100000")),
        "{:?}",
        big.notes
    );
    LoadedScene::from_source("big.ron", &big.to_ron().unwrap()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn yed_edges_to_a_groups_box_are_left_out_and_said() {
    let dir = temp_dir("yed-group-edge");
    let text = r#"<graphml xmlns:y="http://www.yworks.com/xml/graphml">
<key for="node" id="d6" yfiles.type="nodegraphics"/>
<graph>
<node id="n0" yfiles.foldertype="group"><data key="d6"><y:GroupNode><y:NodeLabel>Sales</y:NodeLabel></y:GroupNode></data>
<graph id="n0:"><node id="n0::n0"><data key="d6"><y:ShapeNode><y:NodeLabel>Ana</y:NodeLabel></y:ShapeNode></data></node></graph></node>
<node id="n1"><data key="d6"><y:ShapeNode><y:NodeLabel>Bo</y:NodeLabel></y:ShapeNode></data></node>
<edge id="e0" source="n1" target="n0"/>
<edge id="e1" source="n1" target="n0::n0"/>
</graph></graphml>"#;
    let result = imported(&write(&dir, "yed.graphml", text));
    assert!(result.notes.iter().any(|n| n.contains("1 edges to a group's box")), "{:?}", result.notes);
    loads_and_runs(&result);
}
