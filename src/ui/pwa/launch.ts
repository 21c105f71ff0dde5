// Files opened with the installed app ("Open with AURA" on a .csv, declared as file_handlers in the web
// manifest) arrive through window.launchQueue; each is imported and analysed like a dropped file.

interface LaunchParams {
  files: readonly FileSystemFileHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void | Promise<void>): void;
}

/** Installs the consumer; returns false where the browser has no launch queue (not installed, not Chromium). */
export function consumeLaunchedFiles(open: (file: File) => Promise<void>): boolean {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue) return false;
  queue.setConsumer(async (params) => {
    // The app shows one analysis at a time: the first file wins.
    const handle = params.files[0];
    if (handle) await open(await handle.getFile());
  });
  return true;
}
