//! Frame-exact video: each frame the model advances a fixed number of ticks, however long the
//! frame takes to render, and the window is captured. Frames go to ffmpeg (H.264 mp4), to a
//! numbered PNG sequence, or raw RGBA (for the benchmark). `understory record` uses it headless
//! under Xvfb; in the app, R starts and stops recording the live session the same way.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Instant;

use bevy::prelude::*;
use bevy::render::gpu_readback::{Readback, ReadbackComplete};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::PrimaryWindow;
use bevy_egui::input::egui_wants_any_keyboard_input;
use indicatif::{ProgressBar, ProgressStyle};

use super::present::slug;
use super::sim::{Control, Sim, TICKS_PER_SECOND};

/// Where frames go.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Piped as raw frames into ffmpeg, which encodes H.264.
    Video(PathBuf),
    /// `frame-000001.png`, ... in this folder.
    Pngs(PathBuf),
    /// Raw RGBA frames one after another in one file (for measuring).
    Raw(PathBuf),
}

impl Output {
    /// Chooses from the path: a folder (ending in `/` or existing) gets PNGs, `.rgba` raw frames,
    /// anything else a video if ffmpeg is on PATH, else PNGs in a folder beside it.
    pub fn choose(path: &Path) -> (Output, Option<String>) {
        let text = path.to_string_lossy();
        if text.ends_with('/') || path.is_dir() {
            return (Output::Pngs(path.to_path_buf()), None);
        }
        if path.extension().is_some_and(|e| e == "rgba") {
            return (Output::Raw(path.to_path_buf()), None);
        }
        if ffmpeg_available() {
            return (Output::Video(path.to_path_buf()), None);
        }
        let folder = path.with_extension("").to_string_lossy().to_string() + "-frames";
        let note = format!("ffmpeg is not on PATH, so frames are written as PNGs to {folder}/ instead of {text}");
        (Output::Pngs(PathBuf::from(folder)), Some(note))
    }

    pub fn describe(&self) -> String {
        match self {
            Output::Video(p) => format!("{} (H.264)", p.display()),
            Output::Pngs(p) => format!("{}/frame-NNNNNN.png", p.display()),
            Output::Raw(p) => format!("{} (raw RGBA)", p.display()),
        }
    }
}

pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What to record.
#[derive(Debug, Clone)]
pub struct RecordConfig {
    pub output: Output,
    pub fps: u32,
    /// Model ticks per video frame.
    pub ticks_per_frame: f64,
    /// Frames to record; `None` records until stopped (the app's R).
    pub frames: Option<u64>,
    /// Exit the app when done (the `record` command).
    pub exit_when_done: bool,
    pub progress: bool,
    /// Frames each chapter that pauses for discussion is held on screen, so its caption can be
    /// read at any speed.
    pub hold_frames: u64,
}

/// Where a video is written while it is being made: beside the output, hidden, renamed into
/// place when ffmpeg has finished, removed if it fails or is interrupted. Its extension is the
/// output's, so ffmpeg picks the same format.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "video".into());
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial{ext}", std::process::id()))
}

/// A recording in progress.
#[derive(Resource)]
pub struct Recorder {
    config: RecordConfig,
    /// Model time at frame 0.
    start: f64,
    /// The model time each frame shows.
    pacer: FramePacer,
    requested: u64,
    received: Arc<AtomicU64>,
    sender: Option<Sender<Captured>>,
    worker: Option<JoinHandle<Result<u64, String>>>,
    stopping: bool,
    /// The readback asked for this frame, to be stopped after it.
    reading: Option<Entity>,
    /// Drawing into an image: a frame read back during the warm-up came back drawn.
    image_ready: Arc<AtomicBool>,
    /// Frames spent warming up so far, drawing into an image.
    probes: u32,
    /// Why the recording stopped early, if it did.
    failed: Option<String>,
    /// Frames still to render before the first captured one, so the window's size, the fonts and
    /// the meshes have settled.
    warm_up: u32,
    /// The window's size during the warm-up; a change starts the warm-up again.
    settled_size: Option<(u32, u32)>,
    bar: ProgressBar,
    began: Instant,
}

/// Frames rendered and thrown away before the first captured one, and again after any resize.
const WARM_UP_FRAMES: u32 = 10;
/// Drawing into an image, the last warm-up frames are read back too (see `record_frame`).
const PROBED_WARM_UP_FRAMES: u32 = 4;
/// Frames the warm-up may take at most before the recording gives up.
const MAX_WARM_UP_FRAMES: u32 = 600;

/// A captured frame as the renderer gave it; converted to RGBA on the writer thread.
struct Captured {
    index: u64,
    image: Image,
}

/// Order of the bytes of each pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pixels {
    Rgba,
    /// What a window's surface usually holds; ffmpeg takes it as it is.
    Bgra,
}

impl Pixels {
    fn ffmpeg_name(self) -> &'static str {
        match self {
            Pixels::Rgba => "rgba",
            Pixels::Bgra => "bgra",
        }
    }
}

struct Frame {
    index: u64,
    width: u32,
    height: u32,
    pixels: Pixels,
    bytes: Vec<u8>,
}

impl Frame {
    /// The pixels as RGBA, reordered only if they are not already.
    fn rgba(&self) -> std::borrow::Cow<'_, [u8]> {
        match self.pixels {
            Pixels::Rgba => std::borrow::Cow::Borrowed(&self.bytes),
            Pixels::Bgra => self.bytes.chunks_exact(4).flat_map(|p| [p[2], p[1], p[0], p[3]]).collect(),
        }
    }
}

impl Captured {
    /// Keeps the renderer's bytes as they are when they are 8-bit RGBA or BGRA (a 1080p frame
    /// is 8 MB, and every copy or reorder costs time the software renderer could use);
    /// anything else is converted to RGBA.
    fn into_frame(self) -> Result<Frame, String> {
        use bevy::render::render_resource::TextureFormat;
        let (index, width, height) = (self.index, self.image.width(), self.image.height());
        let pixels = match self.image.texture_descriptor.format {
            TextureFormat::Bgra8UnormSrgb | TextureFormat::Bgra8Unorm => Some(Pixels::Bgra),
            TextureFormat::Rgba8UnormSrgb | TextureFormat::Rgba8Unorm => Some(Pixels::Rgba),
            _ => None,
        };
        let tight = self.image.data.as_ref().is_some_and(|d| d.len() == width as usize * height as usize * 4);
        if let (Some(pixels), true) = (pixels, tight) {
            let bytes = self.image.data.unwrap_or_default();
            return Ok(Frame { index, width, height, pixels, bytes });
        }
        let rgba =
            self.image.try_into_dynamic().map_err(|e| format!("frame {index} could not be read: {e}"))?.into_rgba8();
        Ok(Frame { index, width, height, pixels: Pixels::Rgba, bytes: rgba.into_raw() })
    }
}

impl Recorder {
    pub fn start(config: RecordConfig, model_time: f64) -> Result<Self, String> {
        let (sender, receiver) = channel::<Captured>();
        let output = config.output.clone();
        let fps = config.fps;
        let worker = std::thread::Builder::new()
            .name("recorder".into())
            .spawn(move || write_frames(output, fps, receiver))
            .map_err(|e| format!("cannot start the recorder: {e}"))?;
        let bar = match (config.progress, config.frames) {
            (true, Some(n)) => {
                let bar = ProgressBar::new(n);
                if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} frames  {per_sec}  eta {eta}") {
                    bar.set_style(style);
                }
                bar
            }
            _ => ProgressBar::hidden(),
        };
        Ok(Self {
            pacer: FramePacer::new(model_time, config.ticks_per_frame, config.hold_frames),
            config,
            start: model_time,
            requested: 0,
            received: Arc::new(AtomicU64::new(0)),
            sender: Some(sender),
            worker: Some(worker),
            stopping: false,
            reading: None,
            image_ready: Arc::new(AtomicBool::new(false)),
            probes: 0,
            failed: None,
            warm_up: WARM_UP_FRAMES,
            settled_size: None,
            bar,
            began: Instant::now(),
        })
    }

    /// Stop after the frames already asked for.
    pub fn stop(&mut self) {
        self.stopping = true;
    }

    pub fn describe(&self) -> String {
        self.config.output.describe()
    }
}

/// Record on R in the app, and drive the `record` command when configured.
pub struct RecordPlugin {
    pub command: Option<RecordConfig>,
    /// For the `record` command: draw into an image of this size instead of the window.
    pub offscreen: Option<(u32, u32)>,
    /// Where the `record` command's failure is left for the command line to report.
    pub failure: Failure,
}

/// Why the `record` command failed, handed back to whoever ran the app.
#[derive(Resource, Clone, Default)]
pub struct Failure(pub Arc<std::sync::Mutex<Option<String>>>);

/// The image the `record` command draws every frame into, and reads back from. Nobody watches
/// that window, so it is never drawn or shown; this saves, per frame, what a screenshot of a
/// window costs on a software renderer: a new texture and buffer, a copy back to the window
/// and the window's presentation.
#[derive(Resource, Clone)]
pub struct Offscreen {
    pub image: Handle<Image>,
    pub size: (u32, u32),
}

impl Plugin for RecordPlugin {
    fn build(&self, app: &mut App) {
        if let Some(config) = self.command.clone() {
            app.insert_resource(PendingStart(Some(config)));
        }
        if let Some((width, height)) = self.offscreen {
            use bevy::render::render_resource::{TextureFormat, TextureUsages};
            // RGBA, the format egui's pipeline draws into images with.
            let mut image = Image::new_target_texture(width, height, TextureFormat::Rgba8UnormSrgb, None);
            image.texture_descriptor.usage |= TextureUsages::COPY_SRC;
            let image = app.world_mut().resource_mut::<Assets<Image>>().add(image);
            app.insert_resource(Offscreen { image, size: (width, height) });
        }
        app.init_resource::<Inbox>()
            .insert_resource(self.failure.clone())
            .add_systems(
                Update,
                toggle_recording.run_if(not(egui_wants_any_keyboard_input)).in_set(super::AppSystems::Input),
            )
            // In Update, so everything drawn in PostUpdate (the forest, egui's captions and numbers)
            // sees this frame's model time.
            .add_systems(
                Update,
                (start_pending, forward_frames, record_frame).chain().in_set(super::AppSystems::Record),
            );
    }
}

#[derive(Resource)]
struct PendingStart(Option<RecordConfig>);

fn start_pending(
    mut commands: Commands,
    pending: Option<ResMut<PendingStart>>,
    sim: Res<Sim>,
    mut controls: MessageWriter<Control>,
) {
    let Some(mut pending) = pending else { return };
    let Some(config) = pending.0.take() else { return };
    controls.write(Control::Drive(true));
    match Recorder::start(config, sim.forest.tick as f64) {
        Ok(recorder) => commands.insert_resource(recorder),
        Err(e) => {
            eprintln!("error: {e}");
            commands.write_message(AppExit::from_code(1));
        }
    }
}

fn toggle_recording(
    keys: Res<ButtonInput<KeyCode>>,
    mut commands: Commands,
    mut sim: ResMut<Sim>,
    recorder: Option<ResMut<Recorder>>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
    mut controls: MessageWriter<Control>,
) {
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    if !keys.just_pressed(KeyCode::KeyR) || ctrl {
        return;
    }
    if let Some(mut recorder) = recorder {
        recorder.stop();
        return;
    }
    let name = format!("{}-seed{}-tick{:06}", slug(sim.scene_name()), sim.seed, sim.forest.tick);
    let dir = PathBuf::from("recordings");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        sim.notice = Some(format!("Cannot record: {}: {e}", dir.display()));
        return;
    }
    let (output, note) = Output::choose(&dir.join(format!("{name}.mp4")));
    let fps = 30;
    let config = RecordConfig {
        output,
        fps,
        ticks_per_frame: sim.clock.speed() * TICKS_PER_SECOND / fps as f64,
        frames: None,
        exit_when_done: false,
        progress: false,
        // A live session's pauses are the facilitator's own.
        hold_frames: 0,
    };
    match Recorder::start(config, sim.forest.tick as f64) {
        Ok(recorder) => {
            controls.write(Control::Drive(true));
            controls.write(Control::Play(true));
            sim.notice = Some(format!(
                "Recording to {} (R to stop){}",
                recorder.describe(),
                note.map(|n| format!(": {n}")).unwrap_or_default()
            ));
            if let Ok(mut window) = windows.single_mut() {
                window.title = format!("● REC — Understory — {}", sim.scene_name());
            }
            commands.insert_resource(recorder);
        }
        Err(e) => sim.notice = Some(format!("Cannot record: {e}")),
    }
}

/// Each frame: advance the model to this frame's time, then ask for the frame's picture.
#[allow(clippy::too_many_arguments)] // A system's parameters are what it reads and writes.
fn record_frame(
    mut commands: Commands,
    mut sim: ResMut<Sim>,
    recorder: Option<ResMut<Recorder>>,
    inbox: Res<Inbox>,
    mut exit: MessageWriter<AppExit>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
    offscreen: Option<Res<Offscreen>>,
    failure: Res<Failure>,
    mut controls: MessageWriter<Control>,
) {
    let Some(mut recorder) = recorder else { return };
    // A readback asked for last frame has been extracted for rendering: one frame, one readback.
    if let Some(entity) = recorder.reading.take() {
        commands.entity(entity).remove::<Readback>();
    }
    let wanted = recorder.config.frames;
    let done_asking = recorder.stopping || wanted.is_some_and(|n| recorder.requested >= n);
    if done_asking {
        controls.write(Control::VideoTime(None));
        let received = recorder.received.load(Ordering::Acquire);
        recorder.bar.set_position(received);
        if received < recorder.requested || !inbox.0.is_empty() {
            return;
        }
        // Every frame asked for has arrived: close the stream and wait for the writer.
        recorder.sender.take();
        let result =
            recorder.worker.take().map(|w| w.join().unwrap_or_else(|_| Err("the recorder thread failed".into())));
        let result = match recorder.failed.take() {
            Some(reason) => Some(Err(reason)),
            None => result,
        };
        recorder.bar.finish_and_clear();
        let seconds = recorder.began.elapsed().as_secs_f64();
        let frames = recorder.requested;
        let message = match &result {
            Some(Ok(_)) => format!(
                "recorded {frames} frames ({:.1} s of video) to {} in {seconds:.1} s: {:.1} frames/s",
                frames as f64 / recorder.config.fps as f64,
                recorder.describe(),
                frames as f64 / seconds.max(1e-9)
            ),
            Some(Err(e)) => format!("recording failed: {e}"),
            None => "recording failed: no writer".into(),
        };
        controls.write(Control::Drive(false));
        if recorder.config.exit_when_done {
            if matches!(result, Some(Ok(_))) {
                println!("{message}");
                exit.write(AppExit::Success);
            } else {
                if let Ok(mut slot) = failure.0.lock() {
                    *slot = Some(message);
                }
                exit.write(AppExit::from_code(1));
            }
        } else {
            sim.notice = Some(message);
            if let Ok(mut window) = windows.single_mut() {
                window.title = format!("Understory — {}", sim.scene_name());
            }
        }
        commands.remove_resource::<Recorder>();
        return;
    }
    let size = match &offscreen {
        Some(target) => Some(target.size),
        None => windows.single().ok().map(|w| (w.physical_width(), w.physical_height())),
    };
    if size != recorder.settled_size {
        // The window manager may resize the window a few frames in; wait until it holds still.
        recorder.settled_size = size;
        recorder.warm_up = recorder.warm_up.max(WARM_UP_FRAMES);
    }
    // Drawing into an image, the first read-back frames of a run can come back empty (all zero,
    // not even the sky's clear colour). So the warm-up also reads frames back, throws them away,
    // and lasts until one has come back drawn.
    let image_ready = offscreen.is_none() || recorder.image_ready.load(Ordering::Acquire);
    if recorder.warm_up > 0 || !image_ready {
        recorder.warm_up = recorder.warm_up.saturating_sub(1);
        controls.write(Control::VideoTime(Some(recorder.start)));
        recorder.probes += u32::from(offscreen.is_some());
        if recorder.probes > MAX_WARM_UP_FRAMES {
            recorder.stopping = true;
            recorder.failed = Some("no frame came back from the renderer".into());
            return;
        }
        if let Some(target) = &offscreen
            && recorder.warm_up < PROBED_WARM_UP_FRAMES
        {
            let ready = recorder.image_ready.clone();
            recorder.reading = Some(read_back(&mut commands, target.image.clone(), move |data, _| {
                if data.iter().any(|&b| b != 0) {
                    ready.store(true, Ordering::Release);
                }
            }));
        }
        return;
    }
    // Frame-exact: each frame moves the model on by the same ticks, whatever the frame rate,
    // except that a chapter that pauses for discussion is held on screen for `hold_frames`.
    let first = recorder.requested == 0;
    let time = recorder.pacer.next(first, &sim.timeline.chapters());
    // The clock carries it out next, before anything draws (AppSystems::Clock).
    controls.write(Control::DriveTo { tick: time.ceil() as u64, video_time: time });
    let index = recorder.requested;
    recorder.requested += 1;
    // The observer only hands the picture over; it must not hold the channel, or the writer
    // would never see the stream end.
    let received = recorder.received.clone();
    if let Some(target) = offscreen {
        let (width, height) = target.size;
        recorder.reading = Some(read_back(&mut commands, target.image.clone(), move |data, inbox| {
            inbox.0.push(Captured { index, image: readback_image(data, width, height) });
            received.fetch_add(1, Ordering::Release);
        }));
    } else {
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>, mut inbox: ResMut<Inbox>| {
                inbox.0.push(Captured { index, image: captured.image.clone() });
                received.fetch_add(1, Ordering::Release);
            },
        );
    }
    recorder.bar.set_position(recorder.received.load(Ordering::Acquire));
}

/// The model time of each frame: a fixed step on from the last, except that a chapter that
/// pauses for discussion is shown at its tick for `hold_frames` frames.
#[derive(Debug, Clone)]
struct FramePacer {
    /// Model time of the last frame.
    time: f64,
    step: f64,
    hold_frames: u64,
    /// Frames still to show the held chapter.
    holding: u64,
    /// Chapters already held.
    held: std::collections::BTreeSet<u64>,
}

impl FramePacer {
    fn new(time: f64, step: f64, hold_frames: u64) -> Self {
        Self { time, step, hold_frames, holding: 0, held: Default::default() }
    }

    /// The next frame's model time; `first` for the first frame, which shows the start.
    fn next(&mut self, first: bool, chapters: &[crate::scene::Chapter]) -> f64 {
        if self.holding > 0 {
            self.holding -= 1;
            return self.time;
        }
        let to = if first { self.time } else { self.time + self.step };
        let lower = if first { self.time - 1e-9 } else { self.time };
        let chapter = chapters
            .iter()
            .filter(|c| c.pause && !self.held.contains(&c.tick))
            .map(|c| c.tick)
            .find(|&t| t as f64 > lower && t as f64 <= to);
        self.time = match chapter {
            Some(t) if self.hold_frames > 0 => {
                self.held.insert(t);
                self.holding = self.hold_frames - 1;
                t as f64
            }
            _ => to,
        };
        self.time
    }
}

/// Reads `image` back once this frame is drawn and hands the bytes to `on_data`. The returned
/// entity's `Readback` must be removed next frame, or the image is read back every frame.
fn read_back(
    commands: &mut Commands,
    image: Handle<Image>,
    mut on_data: impl FnMut(Vec<u8>, &mut Inbox) + Send + Sync + 'static,
) -> Entity {
    commands
        .spawn(Readback::texture(image))
        .observe(move |mut done: On<ReadbackComplete>, mut inbox: ResMut<Inbox>, mut commands: Commands| {
            on_data(std::mem::take(&mut done.event_mut().data), &mut inbox);
            commands.entity(done.entity).despawn();
        })
        .id()
}

/// A read-back RGBA frame as an image, without the padding the GPU adds to each row (rows are
/// copied in multiples of 256 bytes).
fn readback_image(data: Vec<u8>, width: u32, height: u32) -> Image {
    use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
    let row = width as usize * 4;
    let padded = row.div_ceil(256) * 256;
    let bytes = if padded == row || height == 0 {
        data
    } else {
        data.chunks(padded).take(height as usize).flat_map(|r| &r[..row.min(r.len())]).copied().collect()
    };
    Image::new(
        Extent3d { width, height, depth_or_array_layers: 1 },
        TextureDimension::D2,
        bytes,
        TextureFormat::Rgba8UnormSrgb,
        bevy::asset::RenderAssetUsages::MAIN_WORLD,
    )
}

/// Frames captured and not yet handed to the writer.
#[derive(Resource, Default)]
struct Inbox(Vec<Captured>);

fn forward_frames(mut inbox: ResMut<Inbox>, recorder: Option<Res<Recorder>>) {
    let Some(sender) = recorder.as_ref().and_then(|r| r.sender.as_ref()) else { return };
    for frame in inbox.0.drain(..) {
        let _ = sender.send(frame);
    }
}

/// Writes frames in order as they arrive (they may arrive out of order).
fn write_frames(output: Output, fps: u32, frames: Receiver<Captured>) -> Result<u64, String> {
    let mut pending: BTreeMap<u64, Frame> = BTreeMap::new();
    let mut next = 0u64;
    let mut sink: Option<Sink> = None;
    let mut size: Option<(u32, u32, Pixels)> = None;
    for captured in frames {
        let frame = captured.into_frame()?;
        pending.insert(frame.index, frame);
        while let Some(frame) = pending.remove(&next) {
            match size {
                None => size = Some((frame.width, frame.height, frame.pixels)),
                Some(s) if (s.0, s.1) != (frame.width, frame.height) => {
                    return Err(format!(
                        "frame {next} is {}x{}, the first was {}x{}: the window changed size while recording",
                        frame.width, frame.height, s.0, s.1
                    ));
                }
                Some(s) if s.2 != frame.pixels => {
                    return Err(format!("frame {next} has its colours in another order than the first"));
                }
                _ => {}
            }
            if sink.is_none() {
                sink = Some(Sink::open(&output, fps, &frame)?);
            }
            if let Some(sink) = sink.as_mut() {
                sink.write(next, &frame)?;
            }
            next += 1;
        }
    }
    if !pending.is_empty() {
        return Err(format!("{} frames arrived without the frames before them", pending.len()));
    }
    if let Some(sink) = sink {
        sink.finish()?;
    }
    Ok(next)
}

enum Sink {
    Ffmpeg { child: Child, path: PathBuf, partial: PathBuf },
    Pngs(PathBuf),
    Raw(std::io::BufWriter<std::fs::File>),
}

impl Sink {
    /// Opens the output for frames like `first`.
    fn open(output: &Output, fps: u32, first: &Frame) -> Result<Sink, String> {
        match output {
            Output::Video(path) => {
                if first.width % 2 == 1 || first.height % 2 == 1 {
                    return Err(format!(
                        "{}x{} cannot be encoded as H.264, which needs even sizes; record at {}x{}",
                        first.width,
                        first.height,
                        first.width & !1,
                        first.height & !1
                    ));
                }
                let partial = partial_path(path);
                // Playable everywhere: H.264 in yuv420p, the index (moov) at the front.
                let child = Command::new("ffmpeg")
                    .args(["-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", first.pixels.ffmpeg_name(), "-s"])
                    .arg(format!("{}x{}", first.width, first.height))
                    .args(["-r", &fps.to_string(), "-i", "-", "-an", "-c:v", "libx264", "-preset", "veryfast"])
                    .args(["-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
                    .arg(&partial)
                    .stdin(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("cannot start ffmpeg: {e}"))?;
                Ok(Sink::Ffmpeg { child, path: path.clone(), partial })
            }
            Output::Pngs(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
                Ok(Sink::Pngs(dir.clone()))
            }
            Output::Raw(path) => std::fs::File::create(path)
                .map(|f| Sink::Raw(std::io::BufWriter::new(f)))
                .map_err(|e| format!("{}: cannot create: {e}", path.display())),
        }
    }

    fn write(&mut self, index: u64, frame: &Frame) -> Result<(), String> {
        match self {
            Sink::Ffmpeg { child, .. } => {
                match child.stdin.as_mut().ok_or("ffmpeg has no input")?.write_all(&frame.bytes) {
                    Ok(()) => Ok(()),
                    // ffmpeg stopped: say why it did, not just that the pipe broke.
                    Err(e) => Err(self.abandon(&format!("ffmpeg stopped taking frames ({e})"))),
                }
            }
            Sink::Pngs(dir) => {
                let path = dir.join(format!("frame-{:06}.png", index + 1));
                image_png(&path, frame)
            }
            Sink::Raw(w) => w.write_all(&frame.rgba()).map_err(|e| format!("cannot write a raw frame: {e}")),
        }
    }

    /// Stops ffmpeg, removes the unfinished video and says, in a line, what went wrong and what
    /// to do.
    fn abandon(&mut self, what: &str) -> String {
        let Sink::Ffmpeg { child, path, partial } = self else { return what.to_string() };
        drop(child.stdin.take());
        let _ = child.kill();
        let said = ffmpeg_said(child);
        let _ = child.wait();
        let _ = std::fs::remove_file(&*partial);
        summarise_ffmpeg_failure(what, &said, path)
    }

    fn finish(mut self) -> Result<(), String> {
        match &mut self {
            Sink::Ffmpeg { child, path, partial } => {
                drop(child.stdin.take());
                let said = ffmpeg_said(child);
                let status = child.wait().map_err(|e| format!("ffmpeg: {e}"))?;
                if !status.success() {
                    let _ = std::fs::remove_file(&*partial);
                    return Err(summarise_ffmpeg_failure(&format!("ffmpeg failed ({status})"), &said, path));
                }
                std::fs::rename(&*partial, &*path).map_err(|e| {
                    let _ = std::fs::remove_file(&*partial);
                    format!("{}: cannot write the video: {e}", path.display())
                })
            }
            Sink::Pngs(_) => Ok(()),
            Sink::Raw(w) => w.flush().map_err(|e| format!("cannot write a raw frame: {e}")),
        }
    }
}

/// What ffmpeg wrote on its error stream.
fn ffmpeg_said(child: &mut Child) -> String {
    use std::io::Read;
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut text);
    }
    text
}

/// One line: what went wrong, the first thing ffmpeg said about it, and what to do.
fn summarise_ffmpeg_failure(what: &str, said: &str, path: &Path) -> String {
    let first = said.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("it said nothing");
    let hint = if said.contains("No space left") {
        "free some disk space"
    } else if said.contains("Permission denied") || said.contains("No such file") {
        "write somewhere you may write to"
    } else {
        "or record PNG frames with --out FOLDER/"
    };
    format!("could not write {}: {what}: ffmpeg says \"{first}\"; {hint}. No video was left behind.", path.display())
}

fn image_png(path: &Path, frame: &Frame) -> Result<(), String> {
    let (r, b) = if frame.pixels == Pixels::Bgra { (2, 0) } else { (0, 2) };
    let rgb: Vec<u8> = frame.bytes.chunks_exact(4).flat_map(|p| [p[r], p[1], p[b]]).collect();
    image::RgbImage::from_raw(frame.width, frame.height, rgb)
        .ok_or_else(|| "a frame has the wrong number of bytes".to_string())?
        .save(path)
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pausing_chapter_is_held_for_its_frames_then_the_story_moves_on() {
        let chapter =
            |tick, pause| crate::scene::Chapter { tick, title: "", caption: "", pause, pace: None, watch: &[] };
        let chapters = [chapter(0, true), chapter(25, false), chapter(30, true)];
        let mut pacer = FramePacer::new(0.0, 10.0, 3);
        let times: Vec<f64> = (0..8).map(|k| pacer.next(k == 0, &chapters)).collect();
        // Tick 0 held for three frames, then 10, 20; tick 30 (reached exactly) held for three.
        assert_eq!(times, [0.0, 0.0, 0.0, 10.0, 20.0, 30.0, 30.0, 30.0]);
        assert_eq!(pacer.next(false, &chapters), 40.0, "each chapter is held once");
        let mut straight = FramePacer::new(0.0, 10.0, 0);
        let times: Vec<f64> = (0..3).map(|k| straight.next(k == 0, &chapters)).collect();
        assert_eq!(times, [0.0, 10.0, 20.0], "--hold 0 holds nothing");
    }

    #[test]
    fn a_chapter_between_two_frames_is_shown_at_its_own_tick() {
        let chapters =
            [crate::scene::Chapter { tick: 15, title: "", caption: "", pause: true, pace: None, watch: &[] }];
        let mut pacer = FramePacer::new(0.0, 10.0, 2);
        let times: Vec<f64> = (0..5).map(|k| pacer.next(k == 0, &chapters)).collect();
        assert_eq!(times, [0.0, 10.0, 15.0, 15.0, 25.0]);
    }

    #[test]
    fn an_ffmpeg_failure_is_one_line_that_says_what_to_do() {
        let said = "\n  [out#0] Error opening output: No space left on device\nmore noise\n";
        let line = summarise_ffmpeg_failure("it stopped", said, Path::new("talk.mp4"));
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("No space left on device") && line.contains("free some disk space"), "{line}");
        assert!(line.contains("No video was left behind"), "{line}");
        let other = summarise_ffmpeg_failure("it stopped", "", Path::new("talk.mp4"));
        assert!(other.contains("it said nothing") && other.contains("--out FOLDER/"), "{other}");
    }

    #[test]
    fn a_partial_video_is_hidden_beside_the_output_and_keeps_its_extension() {
        let partial = partial_path(Path::new("out/talk.mp4"));
        assert_eq!(partial.parent(), Some(Path::new("out")));
        let name = partial.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".talk.mp4.") && name.ends_with(".partial.mp4"), "{name}");
    }

    #[test]
    fn the_output_follows_the_path() {
        let dir = std::env::temp_dir();
        assert_eq!(Output::choose(&dir).0, Output::Pngs(dir.clone()));
        assert_eq!(Output::choose(Path::new("frames/")).0, Output::Pngs(PathBuf::from("frames/")));
        assert_eq!(Output::choose(Path::new("x.rgba")).0, Output::Raw(PathBuf::from("x.rgba")));
        let (video, note) = Output::choose(Path::new("clip.mp4"));
        if ffmpeg_available() {
            assert_eq!(video, Output::Video(PathBuf::from("clip.mp4")));
            assert!(note.is_none());
        } else {
            assert_eq!(video, Output::Pngs(PathBuf::from("clip-frames")));
            assert!(note.is_some_and(|n| n.contains("ffmpeg")), "says why there is no video");
        }
    }

    #[test]
    fn frames_are_written_in_order_whatever_order_they_arrive_in() {
        let dir = std::env::temp_dir().join(format!("understory-record-order-{}", std::process::id()));
        let raw = dir.join("frames.rgba");
        std::fs::create_dir_all(&dir).unwrap();
        let (sender, receiver) = channel();
        let frame = |index: u64| {
            let image = Image::new_fill(
                bevy::render::render_resource::Extent3d { width: 2, height: 1, depth_or_array_layers: 1 },
                bevy::render::render_resource::TextureDimension::D2,
                &[index as u8, 0, 0, 255],
                bevy::render::render_resource::TextureFormat::Rgba8UnormSrgb,
                bevy::asset::RenderAssetUsages::default(),
            );
            Captured { index, image }
        };
        for index in [2, 0, 1] {
            sender.send(frame(index)).unwrap();
        }
        drop(sender);
        assert_eq!(write_frames(Output::Raw(raw.clone()), 30, receiver), Ok(3));
        let bytes = std::fs::read(&raw).unwrap();
        let firsts: Vec<u8> = bytes.chunks_exact(8).map(|f| f[0]).collect();
        assert_eq!(firsts, vec![0, 1, 2]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn frames_in_the_windows_byte_order_come_out_as_rgba() {
        let dir = std::env::temp_dir().join(format!("understory-record-bgra-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bgra = |index: u64| Captured {
            index,
            image: Image::new_fill(
                bevy::render::render_resource::Extent3d { width: 2, height: 2, depth_or_array_layers: 1 },
                bevy::render::render_resource::TextureDimension::D2,
                &[30, 20, 10, 255], // blue 30, green 20, red 10
                bevy::render::render_resource::TextureFormat::Bgra8UnormSrgb,
                bevy::asset::RenderAssetUsages::default(),
            ),
        };
        let frame = bgra(0).into_frame().unwrap();
        assert_eq!(frame.pixels, Pixels::Bgra, "kept as the renderer gave it");
        assert_eq!(&frame.rgba()[..4], &[10, 20, 30, 255]);
        // Raw output is RGBA; a PNG has the right colours.
        let raw = dir.join("frames.rgba");
        let (sender, receiver) = channel();
        sender.send(bgra(0)).unwrap();
        drop(sender);
        assert_eq!(write_frames(Output::Raw(raw.clone()), 30, receiver), Ok(1));
        assert_eq!(&std::fs::read(&raw).unwrap()[..4], &[10, 20, 30, 255]);
        let png = dir.join("frame.png");
        image_png(&png, &frame).unwrap();
        let read = image::open(&png).unwrap().to_rgb8();
        assert_eq!(read.get_pixel(1, 1).0, [10, 20, 30]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn read_back_rows_lose_their_padding() {
        // 3 pixels a row are 12 bytes, padded to 256 by the GPU.
        let mut data = vec![0u8; 256 * 2];
        data[..12].copy_from_slice(&[1; 12]);
        data[256..268].copy_from_slice(&[2; 12]);
        let image = readback_image(data, 3, 2);
        assert_eq!(image.data.as_deref(), Some(&[[1u8; 12], [2u8; 12]].concat()[..]));
        // A row that is already a multiple of 256 bytes is kept as it is.
        let wide = vec![7u8; 64 * 4 * 2];
        assert_eq!(readback_image(wide.clone(), 64, 2).data.as_deref(), Some(&wide[..]));
    }
}
