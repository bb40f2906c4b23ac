/** The type of a file comes from its bytes; the name can only add a refusal. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isInlineMime, sniff } from '../../server/media/sniff.ts';
import { linuxProgram, PNG_1X1, windowsProgram, zipWith } from './fixtures.ts';

// Byte mode, as a file read is: the detector reads by byte counts.
const of = (bytes: Buffer | string) => () => Readable.from([Buffer.from(bytes)], { objectMode: false });

describe('sniff', () => {
  it('knows a PNG by its content whatever its name', async () => {
    for (const name of ['photo.png', 'notes.txt', 'setup', 'x.html']) {
      expect(await sniff(of(PNG_1X1), name), name).toEqual({ refused: false, kind: 'image', mime: 'image/png' });
    }
  });

  it('refuses a Windows program named like a photo', async () => {
    expect(await sniff(of(windowsProgram()), 'photo.jpg')).toEqual({ refused: true, detected: 'application/x-msdownload' });
  });

  it('refuses a Linux program', async () => {
    expect(await sniff(of(linuxProgram()), 'cat.gif')).toEqual({ refused: true, detected: 'application/x-elf' });
  });

  it('refuses an Android package by its content, even named .zip', async () => {
    expect(await sniff(of(zipWith('classes.dex')), 'holiday.zip')).toEqual({ refused: true, detected: 'application/vnd.android.package-archive' });
  });

  it('refuses installers and scripts by name when the content does not give them away', async () => {
    expect(await sniff(of(zipWith('Payload/App.app/Info.plist')), 'game.ipa')).toEqual({ refused: true, detected: 'application/zip' });
    expect(await sniff(of('#!/bin/sh\nrm -rf ~\n'), 'tidy.sh')).toEqual({ refused: true, detected: '.sh' });
    expect(await sniff(of('@echo off\n'), 'RUN.BAT')).toEqual({ refused: true, detected: '.bat' });
  });

  it('lets an ordinary zip through as a file', async () => {
    expect(await sniff(of(zipWith('notes.txt')), 'notes.zip')).toEqual({ refused: false, kind: 'file', mime: 'application/zip' });
  });

  it('calls text without magic numbers text/plain, and unknown binary octet-stream', async () => {
    for (const [name, text] of [['readme.md', '# 标题\n\nSome *text*'], ['data.csv', 'a,b\n1,2\n'], ['page.html', '<html><script>alert(1)</script></html>'], ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>']]) {
      expect(await sniff(of(text!), name!), name).toEqual({ refused: false, kind: 'file', mime: 'text/plain' });
    }
    expect(await sniff(of(Buffer.from([1, 0, 2, 0, 3, 250])), 'blob.jpg')).toEqual({ refused: false, kind: 'file', mime: 'application/octet-stream' });
  });

  it('keeps text that is longer than the probe and cut inside a character', async () => {
    const text = `${'a'.repeat(4095)}中文`;
    expect(await sniff(of(text), 'long.txt')).toEqual({ refused: false, kind: 'file', mime: 'text/plain' });
  });

  it('shows inline only pictures, videos and sounds', () => {
    expect(isInlineMime('image/png')).toBe(true);
    expect(isInlineMime('video/mp4')).toBe(true);
    for (const mime of ['text/plain', 'text/html', 'image/svg+xml', 'application/pdf', 'application/zip']) expect(isInlineMime(mime), mime).toBe(false);
  });
});
