import { useCallback, useRef, useState } from 'react';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { readDataUrl, screenImageFiles } from '../../lib/chatImages.ts';
import { toAppError } from '../../lib/errors.ts';
import { newRandomId } from '../../lib/ids.ts';
import { trpc } from '../../lib/trpc.ts';

/** An image in the composer: read, uploading, uploaded (it has the server's id) or failed. */
export interface ComposerImage {
  key: string;
  name: string;
  /** The image as a data URL: the thumbnail, and the upload. */
  src: string;
  id: string | null;
  status: 'uploading' | 'ready' | 'failed';
}

export interface ImageProblem {
  key: string;
  name: string;
  code: PlainMessageKey;
}

const problemKey = (code: string): PlainMessageKey =>
  (
    [
      'IMAGE_TYPE',
      'IMAGE_TOO_LARGE',
      'TOO_MANY_IMAGES',
      'TOO_MANY_PENDING',
      'IMAGE_CORRUPT',
    ] as const
  ).includes(code as never)
    ? (`chat.images.error.${code}` as PlainMessageKey)
    : 'chat.images.error.upload';

/**
 * The composer's images (decision 026): each file is checked here first (type, size, count), then
 * uploaded at once, so sending only names uploads. × removes one (and drops its upload).
 */
export function useImageAttachments() {
  const upload = trpc.chat.images.upload.useMutation();
  const discard = trpc.chat.images.discard.useMutation();
  const [images, setImages] = useState<ComposerImage[]>([]);
  const [problems, setProblems] = useState<ImageProblem[]>([]);
  const count = useRef(0);
  count.current = images.length;

  const add = useCallback(
    (files: readonly File[]) => {
      const patch = (key: string, change: Partial<ComposerImage>) =>
        setImages((all) =>
          all.map((image) => (image.key === key ? { ...image, ...change } : image)),
        );
      const { accepted, rejected } = screenImageFiles(files, count.current);
      count.current += accepted.length;
      setProblems(
        rejected.map((r) => ({ key: newRandomId(), name: r.name, code: problemKey(r.code) })),
      );
      for (const file of accepted) {
        const key = newRandomId();
        void readDataUrl(file).then(
          async (src) => {
            setImages((all) => [
              ...all,
              { key, name: file.name, src, id: null, status: 'uploading' },
            ]);
            try {
              const { id } = await upload.mutateAsync({ dataUrl: src });
              patch(key, { id, status: 'ready' });
            } catch (error) {
              const code = toAppError(error).fieldErrors.dataUrl?.[0] ?? 'upload';
              patch(key, { status: 'failed' });
              setProblems((all) => [...all, { key, name: file.name, code: problemKey(code) }]);
            }
          },
          () =>
            setProblems((all) => [
              ...all,
              { key, name: file.name, code: 'chat.images.error.upload' },
            ]),
        );
      }
    },
    [upload],
  );

  const remove = useCallback(
    (key: string) => {
      setImages((all) => {
        const gone = all.find((image) => image.key === key);
        if (gone?.id) discard.mutate({ id: gone.id });
        return all.filter((image) => image.key !== key);
      });
      setProblems((all) => all.filter((problem) => problem.key !== key));
    },
    [discard],
  );

  /** After a send: the images went with the message (the server keeps them). */
  const clear = useCallback(() => {
    setImages([]);
    setProblems([]);
  }, []);

  const ready = images.filter((image) => image.status === 'ready');
  return {
    images,
    problems,
    add,
    remove,
    clear,
    /** Still uploading: sending waits. */
    busy: images.some((image) => image.status === 'uploading'),
    /** What the next message carries. */
    attached: ready.map((image) => ({ id: image.id!, src: image.src })),
  };
}

export type ImageAttachments = ReturnType<typeof useImageAttachments>;
