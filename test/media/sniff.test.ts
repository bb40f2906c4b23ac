/**
 * The type of a file comes from its bytes, never its name; sniff only classifies (kind, mime and
 * what makes it risky), and the safety layer decides what a room does with it.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { probeGzip } from '../../server/media/compressed.ts';
import { isInlineMime, sniff } from '../../server/media/sniff.ts';
import { gzipSync } from 'node:zlib';
import { compoundDocument, gzippedZeros, linuxProgram, PNG_1X1, rar4, rar5, sevenZip, tarOf, windowsProgram, zipOf, zipWith } from './fixtures.ts';

// Byte mode, as a file read is: the detector reads by byte counts.
const of = (bytes: Buffer | string) => () => Readable.from([Buffer.from(bytes)], { objectMode: false });
const sniffBytes = (bytes: Buffer | string, name: string) => sniff(of(bytes), name, Buffer.byteLength(bytes));
const GIB = 1024 ** 3;

describe('sniff', () => {
  it('knows a PNG by its content whatever its name', async () => {
    for (const name of ['photo.png', 'notes.txt', 'setup', 'x.html']) {
      expect(await sniffBytes(PNG_1X1, name), name).toEqual({ kind: 'image', mime: 'image/png', detected: 'image/png', risk: null });
    }
  });

  it('calls a Windows or Linux program named like a photo an executable file', async () => {
    expect(await sniffBytes(windowsProgram(), 'photo.jpg')).toEqual({ kind: 'file', mime: 'application/x-msdownload', detected: 'application/x-msdownload', risk: 'executable' });
    expect(await sniffBytes(linuxProgram(), 'cat.gif')).toMatchObject({ kind: 'file', detected: 'application/x-elf', risk: 'executable' });
  });

  it('knows an Android or iOS app by what the zip holds, whatever it is named', async () => {
    expect(await sniffBytes(zipWith('classes.dex'), 'holiday.zip')).toMatchObject({ mime: 'application/vnd.android.package-archive', risk: 'mobile-app' });
    expect(await sniffBytes(zipOf([{ name: 'AndroidManifest.xml' }, { name: 'resources.arsc' }]), 'cat.jpg')).toMatchObject({ risk: 'mobile-app', riskDetail: 'Android app' });
    expect(await sniffBytes(zipWith('Payload/App.app/Info.plist'), 'photos.zip')).toMatchObject({ mime: 'application/zip', risk: 'mobile-app', riskDetail: 'iOS app' });
  });

  it('calls scripts and installers risky by name when the content does not give them away, and by content when it does', async () => {
    expect(await sniffBytes('#!/bin/sh\nrm -rf ~\n', 'tidy.sh')).toMatchObject({ kind: 'file', mime: 'text/plain', detected: '.sh', risk: 'script' });
    expect(await sniffBytes('@echo off\n', 'RUN.BAT')).toMatchObject({ detected: '.bat', risk: 'script' });
    expect(await sniffBytes('#!/usr/bin/env python3\nimport os\n', 'notes.txt')).toMatchObject({ mime: 'text/plain', risk: 'script' });
    expect(await sniffBytes(zipWith('notes.txt'), 'Setup.msi')).toMatchObject({ mime: 'application/zip', risk: 'installer' });
    expect(await sniffBytes(zipWith('readme.txt'), 'app.dmg')).toMatchObject({ risk: 'installer' });
    // An installer zipped under its own name.
    expect(await sniffBytes(zipOf([{ name: 'readme.txt' }, { name: 'bin/setup.exe' }]), 'tools.zip')).toMatchObject({ risk: 'executable', riskDetail: 'inside the archive' });
  });

  it('finds macros in Office files: a VBA project in OOXML or OLE, or a macro-enabled name', async () => {
    expect(await sniffBytes(zipOf([{ name: '[Content_Types].xml' }, { name: 'word/document.xml' }, { name: 'word/vbaProject.bin' }]), 'report.docx')).toMatchObject({ risk: 'macro-document' });
    expect(await sniffBytes(compoundDocument({ macros: true }), 'budget.xls')).toMatchObject({ mime: 'application/x-cfb', risk: 'macro-document' });
    expect(await sniffBytes(compoundDocument({ macros: false }), 'letter.doc')).toMatchObject({ mime: 'application/x-cfb', risk: null });
    expect(await sniffBytes(zipWith('notes.txt'), 'sheet.XLSM')).toMatchObject({ risk: 'macro-document' });
  });

  it('calls password-protected zip, 7z and RAR archives encrypted, and plain ones not', async () => {
    expect(await sniffBytes(zipOf([{ name: 'secret.pdf', encrypted: true, compressedSize: 100, uncompressedSize: 120 }]), 'docs.zip')).toMatchObject({ risk: 'encrypted-archive' });
    expect(await sniffBytes(sevenZip({ encrypted: true }), 'docs.7z')).toMatchObject({ mime: 'application/x-7z-compressed', risk: 'encrypted-archive' });
    expect(await sniffBytes(sevenZip({ encrypted: false }), 'docs.7z')).toMatchObject({ mime: 'application/x-7z-compressed', risk: null });
    expect(await sniffBytes(rar4({ encrypted: true }), 'docs.rar')).toMatchObject({ mime: 'application/x-rar-compressed', risk: 'encrypted-archive' });
    expect(await sniffBytes(rar4({ encrypted: false }), 'docs.rar')).toMatchObject({ risk: null });
    expect(await sniffBytes(rar5({ encrypted: true }), 'docs.rar')).toMatchObject({ mime: 'application/x-rar-compressed', risk: 'encrypted-archive' });
    expect(await sniffBytes(rar5({ encrypted: 'file' }), 'docs.rar')).toMatchObject({ risk: 'encrypted-archive' });
    expect(await sniffBytes(rar5({ encrypted: false }), 'docs.rar')).toMatchObject({ mime: 'application/x-rar-compressed', risk: null });
  });

  it('calls archive bombs bombs: absurd declared size, absurd ratio, overlapping entries, nested archives', async () => {
    const huge = zipOf(Array.from({ length: 5 }, (_, i) => ({ name: `zeros${i}.bin`, compressedSize: 1000, uncompressedSize: 4 * GIB - 1 })));
    expect(await sniffBytes(huge, 'data.zip')).toMatchObject({ risk: 'archive-bomb' });
    // 200 MiB from a file of a few hundred bytes.
    expect(await sniffBytes(zipOf([{ name: 'a.txt', compressedSize: 200_000, uncompressedSize: 200 * 1024 * 1024 }]), 'a.zip')).toMatchObject({ risk: 'archive-bomb' });
    expect(await sniffBytes(zipOf([{ name: 'a.bin', offset: 0 }, { name: 'b.bin', offset: 0 }]), 'o.zip')).toMatchObject({ risk: 'archive-bomb', riskDetail: 'entries overlap' });
    const nested = zipOf(Array.from({ length: 16 }, (_, i) => ({ name: `lib ${i}.zip`, crc: 0xdeadbeef, compressedSize: 2000, uncompressedSize: 4000 })));
    expect(await sniffBytes(nested, '42.zip')).toMatchObject({ risk: 'archive-bomb', riskDetail: 'copies of one nested archive' });
    expect(await sniffBytes(zipOf([{ name: 'inner.zip', compressedSize: 1000, uncompressedSize: 5_000_000 }]), 'x.zip')).toMatchObject({ risk: 'archive-bomb' });
    // A bomb outranks what else it is.
    expect(await sniffBytes(zipOf([{ name: 'classes.dex', compressedSize: 1, uncompressedSize: 4 * GIB - 1 }, { name: 'b', compressedSize: 1, uncompressedSize: 4 * GIB - 1 }, { name: 'c', compressedSize: 1, uncompressedSize: 4 * GIB - 1 }, { name: 'd', compressedSize: 1, uncompressedSize: 4 * GIB - 1 }, { name: 'e', compressedSize: 1, uncompressedSize: 4 * GIB - 1 }]), 'x.apk')).toMatchObject({ risk: 'archive-bomb' });
  });

  it('unpacks a gzip only as far as it takes to call a bomb a bomb, and lets ordinary ones through', async () => {
    // 100 MiB of zeros in about 100 KB: refused once 64 MiB came out of under 1 % of the file.
    const bomb = await gzippedZeros(100);
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect(await sniffBytes(bomb, 'backup.gz')).toMatchObject({ kind: 'file', mime: 'application/gzip', risk: 'archive-bomb', riskDetail: expect.stringMatching(/^unpacks to \d+× its size$/) });
    // The same ratio under 64 MiB harms nobody; nor does a gzip of ordinary data.
    expect(await sniffBytes(await gzippedZeros(8), 'zeros.gz')).toMatchObject({ mime: 'application/gzip', risk: null });
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i}: the quick brown fox ${i * 7919}`).join('\n'));
    expect(await sniffBytes(gzipSync(text), 'log.txt.gz')).toMatchObject({ mime: 'application/gzip', risk: null });
    // A damaged gzip is just a file; a read that fails ends the look instead of hanging it.
    await expect(sniffBytes(bomb.subarray(0, 200), 'cut.gz')).resolves.toMatchObject({ kind: 'file' });
    const failing = () => new Readable({ read() { this.destroy(new Error('disk gone')); } });
    await expect(probeGzip(failing, bomb.length)).rejects.toThrow('disk gone');
  });

  it('reads a tarball\'s headers: sparse entries claiming huge sizes are bombs, a program inside is a program', async () => {
    const note = { name: 'notes/readme.txt', body: Buffer.from('hello') };
    expect(await sniffBytes(tarOf([note]), 'notes.tar')).toMatchObject({ mime: 'application/x-tar', risk: null });
    expect(await sniffBytes(tarOf([note, { name: 'disk.img', sparseRealSize: 100 * GIB }]), 'disk.tar')).toMatchObject({ risk: 'archive-bomb', riskDetail: 'unpacks to 100 GiB' });
    // 1 GiB from a file of a few blocks is a ratio no real archive has.
    expect(await sniffBytes(tarOf([{ name: 'GNUSparseFile.0/big.bin', pax: { 'GNU.sparse.realsize': String(GIB), 'GNU.sparse.name': 'big.bin' } }]), 'x.tar')).toMatchObject({ risk: 'archive-bomb', riskDetail: expect.stringMatching(/× its size$/) });
    expect(await sniffBytes(tarOf([note, { name: 'bin/setup.exe', body: Buffer.from('MZ') }]), 'tools.tar')).toMatchObject({ risk: 'executable', riskDetail: 'inside the archive' });
    // Inside a gzip the headers are read from what is unpacked.
    expect(await sniffBytes(gzipSync(tarOf([note, { name: 'payload/install.apk', body: Buffer.from('x') }])), 'tools.tgz')).toMatchObject({ mime: 'application/gzip', risk: 'mobile-app', riskDetail: 'inside the archive' });
    expect(await sniffBytes(gzipSync(tarOf([note])), 'notes.tar.gz')).toMatchObject({ mime: 'application/gzip', risk: null });
  });

  it('lets an ordinary zip through as a file with no risk, photos in it included', async () => {
    expect(await sniffBytes(zipWith('notes.txt'), 'notes.zip')).toEqual({ kind: 'file', mime: 'application/zip', detected: 'application/zip', risk: null });
    const album = zipOf(Array.from({ length: 30 }, (_, i) => ({ name: `IMG_${i}.jpg`, crc: i, compressedSize: 30_000, uncompressedSize: 31_000 })));
    expect(await sniffBytes(album, 'trip.zip')).toMatchObject({ risk: null });
  });

  it('survives damaged archives: a cut or garbled table of contents is just a file', async () => {
    const zip = zipOf([{ name: 'a.txt' }, { name: 'b.txt' }]);
    let state = 7;
    for (let round = 0; round < 200; round += 1) {
      const damaged = Buffer.from(zip);
      for (let i = 0; i < 6; i += 1) damaged[(state = (state * 48271) % 2147483647) % damaged.length] = state & 0xff;
      const cut = damaged.subarray(0, Math.max(30, damaged.length - (round % 40)));
      await expect(sniffBytes(cut, 'x.zip')).resolves.toMatchObject({ kind: 'file' });
    }
    for (const bytes of [sevenZip({ encrypted: true }).subarray(0, 40), rar4({ encrypted: false }).subarray(0, 12), rar5({ encrypted: 'file' }).subarray(0, 20)]) {
      await expect(sniffBytes(bytes, 'x.bin')).resolves.toMatchObject({ kind: 'file' });
    }
  });

  it('calls text without magic numbers text/plain, and unknown binary octet-stream', async () => {
    for (const [name, text] of [['readme.md', '# 标题\n\nSome *text*'], ['data.csv', 'a,b\n1,2\n'], ['page.html', '<html><script>alert(1)</script></html>'], ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>']]) {
      expect(await sniffBytes(text!, name!), name).toEqual({ kind: 'file', mime: 'text/plain', detected: 'text/plain', risk: null });
    }
    expect(await sniffBytes(Buffer.from([1, 0, 2, 0, 3, 250]), 'blob.jpg')).toEqual({ kind: 'file', mime: 'application/octet-stream', detected: 'application/octet-stream', risk: null });
  });

  it('keeps text that is longer than the probe and cut inside a character', async () => {
    const text = `${'a'.repeat(4095)}中文`;
    expect(await sniffBytes(text, 'long.txt')).toMatchObject({ kind: 'file', mime: 'text/plain', risk: null });
  });

  it('shows inline only pictures, videos and sounds', () => {
    expect(isInlineMime('image/png')).toBe(true);
    expect(isInlineMime('video/mp4')).toBe(true);
    for (const mime of ['text/plain', 'text/html', 'image/svg+xml', 'application/pdf', 'application/zip']) expect(isInlineMime(mime), mime).toBe(false);
  });
});
