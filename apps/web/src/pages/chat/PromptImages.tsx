import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import type { TurnImage } from '../../lib/chat.ts';
import { trpc } from '../../lib/trpc.ts';

/**
 * One thumbnail; a click shows it at full width and another shrinks it again. Plain `<img>`s on
 * purpose: antd's Image (its preview viewer) would add ~30 kB to the main bundle.
 */
function Picture({ src, alt }: { src: string; alt: string }) {
  const [large, setLarge] = useState(false);
  return (
    <button
      type="button"
      className={large ? 'prompt-images__pick prompt-images__pick--large' : 'prompt-images__pick'}
      onClick={() => setLarge((was) => !was)}
      aria-pressed={large}
      data-testid="prompt-image"
    >
      <img src={src} alt={alt} className="prompt-images__thumb" />
    </button>
  );
}

/** A stored image, loaded on its own when the thread shows it (the thread lists ids only). */
function StoredImage({ id, alt }: { id: string; alt: string }) {
  const image = trpc.chat.images.byId.useQuery({ id }, { staleTime: Number.POSITIVE_INFINITY });
  if (!image.data)
    return <span className="prompt-images__placeholder" data-testid="prompt-image-loading" />;
  return <Picture src={image.data.dataUrl} alt={alt} />;
}

/** The images a prompt was sent with (decision 026). */
export function PromptImages({ images }: { images: readonly TurnImage[] }) {
  const { t } = useLocale();
  return (
    <div className="prompt-images" data-testid="prompt-images">
      {images.map((image, index) => {
        const alt = t('chat.images.shown', { n: index + 1 });
        return image.src ? (
          <Picture key={image.id} src={image.src} alt={alt} />
        ) : (
          <StoredImage key={image.id} id={image.id} alt={alt} />
        );
      })}
    </div>
  );
}
