import { Image, Skeleton } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import type { TurnImage } from '../../lib/chat.ts';
import { trpc } from '../../lib/trpc.ts';

/** A stored image, loaded on its own when the thread shows it (the thread lists ids only). */
function StoredImage({ id, alt }: { id: string; alt: string }) {
  const image = trpc.chat.images.byId.useQuery({ id }, { staleTime: Number.POSITIVE_INFINITY });
  if (!image.data) return <Skeleton.Image active className="prompt-images__thumb" />;
  return <Picture src={image.data.dataUrl} alt={alt} />;
}

function Picture({ src, alt }: { src: string; alt: string }) {
  return (
    <Image
      src={src}
      alt={alt}
      width={96}
      height={96}
      className="prompt-images__thumb"
      data-testid="prompt-image"
    />
  );
}

/** The images a prompt was sent with (decision 026): thumbnails that open full size. */
export function PromptImages({ images }: { images: readonly TurnImage[] }) {
  const { t } = useLocale();
  return (
    <Image.PreviewGroup>
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
    </Image.PreviewGroup>
  );
}
