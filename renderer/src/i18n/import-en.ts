/** English words of importing images from other tools (issue 18): the dialog, progress, report, drop choice. */
import type { PluralForms } from './types';

export const importEn = {
  'imp.open': 'Import images…',
  'imp.title': 'Import images',
  'imp.intro':
    'Copies PNG, JPEG and WebP images into the library with the parameters other tools wrote in them (A1111, Forge, ComfyUI, Fooocus, InvokeAI and more). Folders are read with their subfolders; the same image twice is skipped.',
  'imp.chooseFiles': 'Choose files…',
  'imp.chooseFolders': 'Choose folders…',
  'imp.paths': 'Files and folders',
  'imp.pathsHint': 'One full path a line, e.g. /home/me/Pictures/sd or C:\\Users\\me\\Pictures\\sd.',
  'imp.pathsHintWeb':
    'One full path a line, e.g. /home/me/Pictures/sd. The web preview cannot open the system’s file dialog: type or paste the paths.',
  'imp.dropNoPath':
    'The browser does not tell the page where dropped files are on disk. Type their folder below, or use the desktop app, where dropping imports at once.',
  'imp.pathsMissing': 'Give at least one file or folder.',
  'imp.pathsAbsolute': 'Give full paths (starting with / or a drive letter): {path}',
  'imp.start': 'Import',
  'imp.startN': { one: 'Import {n} path', other: 'Import {n} paths' } satisfies PluralForms,
  'imp.hide': 'Hide',
  'imp.starting': 'Looking for images…',
  'imp.cancelling': 'Stopping… what was imported stays.',
  'imp.progress': 'Import progress',
  'imp.running': '{done} of {total} files',
  'imp.runningScan': '{done} done · {found} found so far',
  'imp.omitted': {
    one: '{n} more result is not listed (the counts above include it).',
    other: '{n} more results are not listed (the counts above include them).',
  } satisfies PluralForms,
  'imp.rate': '{rate} images/s',
  'imp.eta': 'about {time} left',
  'imp.counts': 'Imported {imported} · duplicates {duplicates} · failed {failed}',
  'imp.done': { one: 'Imported {n} image.', other: 'Imported {n} images.' } satisfies PluralForms,
  'imp.doneNone': 'No new images were imported.',
  'imp.cancelled': {
    one: 'Cancelled: {n} image imported before it stopped.',
    other: 'Cancelled: {n} images imported before it stopped.',
  } satisfies PluralForms,
  'imp.failed': 'The import failed: {detail}',
  'imp.elapsed': 'Took {time}.',
  'imp.notScanned': {
    one: '{n} file past the limit of one import was not looked at.',
    other: '{n} files past the limit of one import were not looked at.',
  } satisfies PluralForms,
  'imp.summary.imported': { one: '{n} imported', other: '{n} imported' } satisfies PluralForms,
  'imp.summary.duplicate': { one: '{n} duplicate skipped', other: '{n} duplicates skipped' } satisfies PluralForms,
  'imp.summary.failed': { one: '{n} failed', other: '{n} failed' } satisfies PluralForms,
  'imp.summary.cancelled': {
    one: '{n} not imported (cancelled)',
    other: '{n} not imported (cancelled)',
  } satisfies PluralForms,
  'imp.report': 'Every file',
  'imp.reportProblems': 'Only what was not imported',
  'imp.reportMore': { one: '…and {n} more file.', other: '…and {n} more files.' } satisfies PluralForms,
  'imp.reportEmpty': 'No files were found there.',
  'imp.status.imported': 'Imported',
  'imp.status.duplicate': 'Duplicate, skipped',
  'imp.status.unreadable': 'Cannot be read',
  'imp.status.not-image': 'Not an image',
  'imp.status.too-large': 'Too large',
  'imp.status.failed': 'Failed',
  'imp.status.cancelled': 'Cancelled',
  'imp.from': 'parameters from {tool}',
  'imp.showImage': 'Show {file}',
  'imp.again': 'Import more',
  'imp.toastDone': {
    one: 'Import finished: {n} image imported.',
    other: 'Import finished: {n} images imported.',
  } satisfies PluralForms,
  'imp.showReport': 'Show',

  // Dropping files on the window
  'drop.choice.title': 'Dropped: what should happen?',
  'drop.choice.files': { one: '{n} item: {names}', other: '{n} items: {names}' } satisfies PluralForms,
  'drop.choice.import': 'Import into the library',
  'drop.choice.importHint': 'Copies the images (folders with their subfolders) into the gallery with their parameters.',
  'drop.choice.importWeb': 'Import into the library…',
  'drop.choice.importWebHint':
    'In the web preview you type the folder of these files: the browser does not say where they are.',
  'drop.choice.read': 'Just read the parameters',
  'drop.choice.readHint': 'Puts the image’s prompt and settings in the panel; nothing is added to the library.',
  'drop.choice.readOnlyOne': 'Reading parameters needs exactly one image file.',
} as const;
