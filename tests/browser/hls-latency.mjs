// Plays an HLS or LL-HLS playlist with hls.js in headless Chromium (Debian's, through
// Playwright) for a number of seconds and prints one JSON line: the latency hls.js reports
// (behind the playlist's live edge), the end-to-end latency (the wall clock minus the
// EXT-X-PROGRAM-DATE-TIME of the picture on screen, hls.js `playingDate`: from the studio's
// ingest to the screen), frames decoded and dropped, the picture size, whether low-latency
// mode was on, and any fatal error.
// Usage: node hls-latency.mjs URL SECONDS [--no-low-latency] [--catch-up=RATE]
// --catch-up=RATE sets hls.js's maxLiveSyncPlaybackRate (default 1: never speeds up), which lets
// it play up to RATE times faster to get back to its target latency after a stall.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const [url, secondsText, ...flags] = process.argv.slice(2);
const catchUpFlag = flags.find((f) => f.startsWith('--catch-up='));
const catchUp = catchUpFlag ? Number(catchUpFlag.slice('--catch-up='.length)) : 1;
if (!url || !secondsText || !(catchUp >= 1)) {
  console.error('usage: node hls-latency.mjs URL SECONDS [--no-low-latency] [--catch-up=RATE]');
  process.exit(2);
}
const hlsPath = fileURLToPath(new URL('./node_modules/hls.js/dist/hls.min.js', import.meta.url));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--autoplay-policy=no-user-gesture-required', '--no-sandbox'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<video id="v" muted autoplay playsinline></video>');
  await page.addScriptTag({ path: hlsPath });
  const result = await page.evaluate(
    async ({ url, seconds, lowLatency, catchUp }) => {
      const video = document.getElementById('v');
      if (!Hls.isSupported()) {
        return { error: 'hls.js: Media Source Extensions are not supported' };
      }
      const hls = new Hls({ lowLatencyMode: lowLatency, maxLiveSyncPlaybackRate: catchUp });
      const errors = [];
      let parts = 0;
      hls.on(Hls.Events.ERROR, (_, d) => {
        if (d.fatal) errors.push(`${d.type}: ${d.details}`);
      });
      hls.on(Hls.Events.FRAG_LOADED, (_, d) => {
        if (d.part) parts += 1;
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      const latencies = [];
      const endToEnd = [];
      let withoutDate = 0;
      const end = Date.now() + seconds * 1000;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 250));
        if (video.currentTime > 0 && !video.paused && Number.isFinite(hls.latency)) {
          latencies.push(hls.latency);
          const date = hls.playingDate;
          if (date) endToEnd.push((Date.now() - date.getTime()) / 1000);
          else withoutDate += 1;
        }
      }
      const q = video.getVideoPlaybackQuality();
      // Of the second half of the samples: after hls.js has settled on its target.
      const settle = (list) => list.slice(Math.floor(list.length / 2)).sort((a, b) => a - b);
      const at = (sorted, f) => (sorted.length ? sorted[Math.floor((sorted.length - 1) * f)] : null);
      const settled = settle(latencies);
      const e2e = settle(endToEnd);
      return {
        latency: at(settled, 0.5),
        endToEnd: at(e2e, 0.5),
        endToEndP95: at(e2e, 0.95),
        endToEndSamples: e2e.length,
        samplesWithoutDate: withoutDate,
        targetLatency: hls.targetLatency,
        lowLatencyMode: hls.lowLatencyMode,
        maxLiveSyncPlaybackRate: catchUp,
        partsLoaded: parts,
        currentTime: video.currentTime,
        frames: q.totalVideoFrames,
        dropped: q.droppedVideoFrames,
        width: video.videoWidth,
        height: video.videoHeight,
        errors,
      };
    },
    { url, seconds: Number(secondsText), lowLatency: !flags.includes('--no-low-latency'), catchUp },
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
