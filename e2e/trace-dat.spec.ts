import { numberColumn } from '../core/bundle/columns.ts';
import { openSource } from '../core/importers/open-source.ts';
import { chartData, dropFile, expect, fixtureBytes, SCREENSHOTS, test, waitForIdle } from './support.ts';

// A trace-cmd binary trace.dat dropped on the window, or chosen with "Open file…", gives the scheduling overview.
test('a trace.dat (LISA sched_load, file version 6) dropped on the window opens as the sched overview', async ({ page }) => {
  const bytes = fixtureBytes('trace-dat/lisa-sched-load.dat');
  const node = await openSource('trace.dat', bytes);
  if (!node.ok) throw new Error('the fixture does not import in Node');
  const sched = node.bundle.tables.sched!;
  await page.goto('./');
  await dropFile(page, 'trace.dat', bytes);
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('Imported from a trace-dat capture: 3,724 records');
  // 399 sched_switch + 28 sched_migrate_task (grep -c of trace-cmd report of the same file).
  await expect(page.getByTestId('rows-sched')).toHaveText('427');
  expect(sched.numRows).toBe(427);
  // One busy series per CPU that has sched rows, as for ftrace text.
  expect((await chartData(page, 'sched-busy'))!.length).toBe(new Set(Array.from(numberColumn(sched, 'cpu'))).size);
  await page.screenshot({ path: `${SCREENSHOTS}imported-trace-dat.png`, fullPage: true });

  // The file picker takes it too (it has no accept filter: captures are recognised by content).
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles({ name: 'trace.dat', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('trace-dat');
  await expect(page.getByTestId('rows-sched')).toHaveText('427');
});

test('a trace.dat cut short is refused with where and why, not a crash', async ({ page }) => {
  await page.goto('./');
  await dropFile(page, 'cut.dat', fixtureBytes('refusals/trace-cmd-extract-first4k.dat'));
  await waitForIdle(page);
  await expect(page.getByText(/cut\.dat is a trace-cmd recording \(trace\.dat\) that Telemetry Lab cannot read \(at byte \d+\)/)).toBeVisible();
});
