import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';

/** The largest file a member of staff may upload (a `.policy.json` is some 20 kB). */
export const STAFF_UPLOAD_MAX_BYTES = 512 * 1024;

const parser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: STAFF_UPLOAD_MAX_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024 },
}).single('file');

/**
 * Reads staff forms sent as multipart/form-data (a file input: importing a `.policy.json`) into
 * `req.body` and `req.file`, before the CSRF check, so the form's `_csrf` field is read as from any
 * other form. Other requests pass untouched. A file too large, a second file or a field other than
 * `file` is the sender's error: 413 or 400, never 500.
 */
export const staffUploads: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  parser(req, res, (error?: unknown) => {
    if (!error) return next();
    if (error instanceof multer.MulterError) {
      const status = error.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      return next(
        Object.assign(new Error(`Upload refused: ${error.code}`), { status, expose: true }),
      );
    }
    next(error);
  });
};
