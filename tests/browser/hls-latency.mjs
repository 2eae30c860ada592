// Plays an HLS or LL-HLS playlist with hls.js in headless Chromium (Debian's, through
// Playwright) for a number of seconds and prints one JSON line: the latency hls.js reports,
// frames decoded and dropped, the picture size, whether low-latency mode was on, and any
// fatal error. Usage: node hls-latency.mjs URL SECONDS [--no-low-latency]
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const [url, secondsText, flag] = process.argv.slice(2);
if (!url || !secondsText) {
  console.error('usage: node hls-latency.mjs URL SECONDS [--no-low-latency]');
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
    async ({ url, seconds, lowLatency }) => {
      const video = document.getElementById('v');
      if (!Hls.isSupported()) {
        return { error: 'hls.js: Media Source Extensions are not supported' };
      }
      const hls = new Hls({ lowLatencyMode: lowLatency });
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
      const end = Date.now() + seconds * 1000;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 500));
        if (video.currentTime > 0 && Number.isFinite(hls.latency)) latencies.push(hls.latency);
      }
      const q = video.getVideoPlaybackQuality();
      // The median of the second half: after hls.js has settled on its target.
      const settled = latencies.slice(Math.floor(latencies.length / 2)).sort((a, b) => a - b);
      return {
        latency: settled.length ? settled[Math.floor(settled.length / 2)] : null,
        targetLatency: hls.targetLatency,
        lowLatencyMode: hls.lowLatencyMode,
        partsLoaded: parts,
        currentTime: video.currentTime,
        frames: q.totalVideoFrames,
        dropped: q.droppedVideoFrames,
        width: video.videoWidth,
        height: video.videoHeight,
        errors,
      };
    },
    { url, seconds: Number(secondsText), lowLatency: flag !== '--no-low-latency' },
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
